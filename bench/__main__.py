"""`python -m bench` runs every benchmark and prints its figures (it asserts nothing).

`python -m bench seed [--trainees N --cohorts M]` fills BENCH_DATABASE_URL;
`python -m bench load` serves it with gunicorn beside bench/baseline.py and drives both with wrk.
"""
import sys


def main(argv: list[str]) -> None:
    command = argv[0] if argv else "all"
    if command == "seed":
        from bench import seed
        seed.main(argv[1:])
    elif command == "load":
        from bench import load
        load.main(argv[1:])
    elif command == "all":
        from bench import certificates, first_paint, load, matrix, page_weight
        page_weight.main()
        first_paint.main()
        load.main([])
        matrix.main()
        certificates.main()
    else:
        sys.exit(f"unknown command {command!r}: seed, load, or nothing for everything")


if __name__ == "__main__":
    main(sys.argv[1:])
