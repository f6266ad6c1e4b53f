"""One text file over 2 GB through the lake: the orders of a bench data set, every day's file
joined into one (one header, the days in order), landed beside the other datasets as they
are. The Spark pipeline runs over it; the bronze -> silver ledger must count every record of
the file, counted here without Spark, and the file must have been read in several splits.

A whole-file text read (Spark's `wholetext`) cannot hold more than 2 GB in one row: this is
the run that shows the split reader (`jobs.runtime.text_files`) is not bound by it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from transforms.contracts import ORDERS_SOURCE

BYTES_PER_ORDER_LINE = 83  # of the bench data's order files, header and mess included
BIG_FILE_NAME = "orders_all_days.csv"


def order_lines_for(size_bytes: int) -> int:
    """Order lines to generate so that their files, joined, pass `size_bytes`."""
    return int(size_bytes / BYTES_PER_ORDER_LINE * 1.05)


def join_order_files(files: list[Path], target: Path) -> tuple[int, int]:
    """Write `files` (CSV, each with a header line) one after the other into `target`, keeping
    the first header only. Returns (bytes written, records): non-blank lines but the header,
    counted here as the lake counts them (lines end at LF, CRLF or a lone CR)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    records = 0
    with target.open("wb") as out:
        for number, path in enumerate(files):
            with path.open("rb") as handle:
                header = handle.readline()
                if number == 0:
                    out.write(header)
                for line in handle:
                    out.write(line if line.endswith(b"\n") else line + b"\n")
                    records += sum(1 for part in line.replace(b"\r\n", b"\n").split(b"\r") if part.strip(b" \n"))
    return target.stat().st_size, records


def land_with_one_order_file(bronze: Path, lake_bronze: Path) -> tuple[str, int, int]:
    """The bench data's bronze in `lake_bronze`, its order files joined into one. Returns that
    file's path relative to bronze (its lineage), its size and its records."""
    shutil.rmtree(lake_bronze, ignore_errors=True)
    orders = bronze / ORDERS_SOURCE.prefix
    for folder in sorted(p for p in bronze.glob("*/*") if p.is_dir() and p != orders):
        shutil.copytree(folder, lake_bronze / folder.relative_to(bronze), copy_function=_link)
    day_files = sorted(orders.rglob("*.csv"))
    last_day = day_files[-1].parent.name  # ingest_date=...: the day the whole history lands
    relative = f"{ORDERS_SOURCE.prefix}/{last_day}/{BIG_FILE_NAME}"
    size, records = join_order_files(day_files, lake_bronze / relative)
    return relative, size, records


def _link(source: str, target: str) -> None:
    Path(target).hardlink_to(source)
