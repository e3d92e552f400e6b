"""`python -m bench` runs every benchmark, prints its figures as it goes and ends with one
table of them: measure | SQLite | PostgreSQL | target | met? (it asserts nothing). About 4.5
minutes on the 2-core machine with other suites running; `--quick` (wrk runs of 2 s, 3 first
paints) saves about 1.5. BENCH_APP_PORT / BENCH_BASE_PORT move the load part's two servers.

`python -m bench seed [--trainees N --cohorts M]` fills BENCH_DATABASE_URL;
`python -m bench load` serves it with gunicorn beside bench/baseline.py and drives both with wrk.
"""
import argparse
import sys
import time


def run_all(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description="every benchmark, then one table")
    parser.add_argument("--quick", action="store_true", help="wrk runs of 2 s and 3 first paints")
    parser.add_argument("--duration", type=int, help="seconds of each wrk run (default 5, 2 with --quick)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="of the load part")
    args = parser.parse_args(argv)
    from bench import certificates, first_paint, load, matrix, page_weight
    from bench.figures import Figure, table
    duration = args.duration or (2 if args.quick else 5)
    parts = [("page weight", page_weight.main),
             ("first paint", lambda: first_paint.main(runs=3 if args.quick else first_paint.RUNS)),
             ("load", lambda: load.main(["--duration", str(duration), "--backends", args.backends])),
             ("cohort matrix", matrix.main),
             ("certificates", certificates.main)]
    started, figures = time.perf_counter(), []
    for name, part in parts:
        try:
            figures += part() or []
        except Exception as error:  # noqa: BLE001 - one part missing (a browser, a server) leaves the others
            print(f"{name}: skipped: {type(error).__name__}: {error}", flush=True)
            figures.append(Figure(name, None, f"skipped: {type(error).__name__}"))
        sys.stdout.flush()
    took = time.perf_counter() - started
    print(f"\nAll figures ({took / 60:.1f} minutes, wrk runs of {duration} s):\n")
    print(table(figures))


def main(argv: list[str]) -> None:
    command = argv[0] if argv and not argv[0].startswith("-") else "all"
    if command == "seed":
        from bench import seed
        seed.main(argv[1:])
    elif command == "load":
        from bench import load
        load.main(argv[1:])
    elif command == "all":
        run_all(argv[1:] if argv and argv[0] == "all" else argv)
    else:
        sys.exit(f"unknown command {command!r}: seed, load, or nothing for everything")


if __name__ == "__main__":
    main(sys.argv[1:])
