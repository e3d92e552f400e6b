"""The table `python -m bench` ends with: one row per measure, each backend in its column."""
from bench.figures import POSTGRES, SQLITE, Figure, table


def test_one_row_per_measure_with_each_backend_in_its_column_and_the_verdict():
    rows = table([
        Figure("cold start", SQLITE, "1.9x", "<= 1.2x", False),
        Figure("home CPU", SQLITE, "0.7x", ">= 0.6x", True),
        Figure("cold start", POSTGRES, "1.1x", "<= 1.2x", True),
        Figure("home CPU", POSTGRES, "0.8x", ">= 0.6x", True),
        Figure("PDFs", None, "4.0 s", "< 10 s", True),
        Figure("signing", None, "9 ms"),
        Figure("matrix", SQLITE, "skipped: OperationalError"),
    ]).splitlines()
    assert rows[0] == "| measure | SQLite | PostgreSQL | target | met? |"
    assert rows[2:] == [
        "| cold start | 1.9x | 1.1x | <= 1.2x | no (SQLite) |",
        "| home CPU | 0.7x | 0.8x | >= 0.6x | yes |",
        "| PDFs | 4.0 s | (no database) | < 10 s | yes |",
        "| signing | 9 ms | (no database) |  |  |",
        "| matrix | skipped: OperationalError | — |  |  |",
    ]
