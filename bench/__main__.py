"""Run every benchmark and print its figures."""
from bench import matrix, page_weight

if __name__ == "__main__":
    page_weight.main()
    matrix.main()
