"""Run every benchmark and print its figures."""
from bench import certificates, matrix, page_weight

if __name__ == "__main__":
    page_weight.main()
    matrix.main()
    certificates.main()
