"""The figures each benchmark returns, and the one table `python -m bench` ends with."""
from __future__ import annotations

from dataclasses import dataclass

SQLITE, POSTGRES = "sqlite", "postgresql"


@dataclass(frozen=True)
class Figure:
    measure: str
    backend: str | None      # SQLITE, POSTGRES, or None when no database is involved
    value: str
    target: str = ""
    met: bool | None = None  # None: no target, or nothing to judge (skipped)


def _verdict(figures: list[Figure]) -> str:
    judged = {f.backend: f.met for f in figures if f.met is not None}
    if not judged:
        return ""
    if all(judged.values()):
        return "yes"
    if not any(judged.values()):
        return "no"
    return "no (" + ", ".join("PostgreSQL" if b == POSTGRES else "SQLite" for b, ok in judged.items() if not ok) + ")"


def table(figures: list[Figure]) -> str:
    """A Markdown table, one row per measure in the order first seen: measure | SQLite |
    PostgreSQL | target | met?. A figure of no database fills the SQLite column."""
    rows: dict[str, list[Figure]] = {}
    for figure in figures:
        rows.setdefault(figure.measure, []).append(figure)
    lines = ["| measure | SQLite | PostgreSQL | target | met? |", "| --- | --- | --- | --- | --- |"]
    for measure, found in rows.items():
        cells = {SQLITE: "—", POSTGRES: "—"}
        for figure in found:
            if figure.backend is None:
                cells[SQLITE], cells[POSTGRES] = figure.value, "(no database)"
            else:
                cells[figure.backend] = figure.value
        target = next((f.target for f in found if f.target), "")
        lines.append(f"| {measure} | {cells[SQLITE]} | {cells[POSTGRES]} | {target} | {_verdict(found)} |")
    return "\n".join(lines)
