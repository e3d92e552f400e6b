"""Run every benchmark and print its figures."""
from bench import certificates, first_paint, matrix, page_weight

if __name__ == "__main__":
    page_weight.main()
    first_paint.main()
    matrix.main()
    certificates.main()
