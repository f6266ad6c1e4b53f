"""Do two runs agree? Gold tables cell by cell, and the records' outcomes dataset by dataset."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from transforms.contracts import GOLD_TABLES


@dataclass(frozen=True)
class TableAgreement:
    table: str
    rows: tuple[int, int]
    only_in_first: int  # rows (as text, cell by cell) the second run lacks
    only_in_second: int

    @property
    def agrees(self) -> bool:
        return self.only_in_first == self.only_in_second == 0 and self.rows[0] == self.rows[1]


def _as_text(folder: Path, columns: list[str]) -> str:
    """Every cell as text, so 12.30 (decimal) and 2025-01-01 (date) compare the same whatever
    type each engine gave the column."""
    cells = ", ".join(f"CAST({c} AS VARCHAR) AS {c}" for c in columns)
    return f"SELECT {cells} FROM read_parquet('{folder}/*.parquet')"


def compare_gold(first: Path, second: Path) -> list[TableAgreement]:
    """Each gold table of two exports (one Parquet folder per table, as `bench.engines` writes)."""
    con = duckdb.connect()
    agreements = []
    for table in GOLD_TABLES:
        a, b = (_as_text(root / table.qualified_name, table.column_names) for root in (first, second))
        rows = tuple(con.execute(f"SELECT count(*) FROM ({q})").fetchone()[0] for q in (a, b))
        only_a = con.execute(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})").fetchone()[0]
        only_b = con.execute(f"SELECT count(*) FROM ({b} EXCEPT ALL {a})").fetchone()[0]
        agreements.append(TableAgreement(table.qualified_name, rows, only_a, only_b))
    return agreements


def outcome_differences(first: dict, second: dict) -> list[str]:
    """Where two runs' outcome counts ({dataset: {outcome: records}}) differ, one line each."""
    lines = []
    for dataset in sorted(set(first) | set(second)):
        a, b = first.get(dataset, {}), second.get(dataset, {})
        for outcome in sorted(set(a) | set(b)):
            if a.get(outcome, 0) != b.get(outcome, 0):
                lines.append(f"{dataset} {outcome}: {a.get(outcome, 0)} vs {b.get(outcome, 0)}")
    return lines
