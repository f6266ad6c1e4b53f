"""The big-file benchmark's file: the order files joined with one header, every record counted."""

from __future__ import annotations

from bench.big_file import join_order_files
from bench.report import _big_file_against_daily
from tests.bad_input.counting import editor_line_numbers


def test_order_files_are_joined_with_one_header_and_every_record_counted(tmp_path):
    days = [b"h1,h2\n1,a\n\n2,b\n", b"h1,h2\r\n3,c\r\n", b"h1,h2\n4,d\r5,e"]  # the last: lone CR, no final newline
    paths = []
    for n, data in enumerate(days):
        paths.append(tmp_path / f"day{n}.csv")
        paths[-1].write_bytes(data)
    size, records = join_order_files(paths, tmp_path / "out" / "all.csv")
    joined = (tmp_path / "out" / "all.csv").read_bytes()
    assert size == len(joined)
    assert list(editor_line_numbers(joined).values()) == ["h1,h2", "1,a", "2,b", "3,c", "4,d", "5,e"]
    assert records == 5


def _run(pipeline_seconds: float) -> dict:
    step = {"job": "bronze_to_silver", "step": "read and clean bronze", "seconds": pipeline_seconds, "peak_mb": 1}
    return {"pipeline_seconds": pipeline_seconds, "peak_mb": 1, "steps": [step]}


def _daily(pipeline_seconds: float, records: int) -> dict:
    return {"records_in": records, "run": _run(pipeline_seconds), "gold_agreement": []}


def test_the_big_file_is_held_to_one_and_a_half_times_the_daily_files_time_per_line():
    # 2M records in 300 s on one file = 150 s per million; 1M records in 100 s daily = 100 s per million
    within = "\n".join(_big_file_against_daily(_run(300.0), 2_000_000, _daily(100.0, 1_000_000)))
    assert "**1.50x**" in within and "within 1.5x: met)" in within and "missed" not in within
    beyond = "\n".join(_big_file_against_daily(_run(310.0), 2_000_000, _daily(100.0, 1_000_000)))
    assert "**1.55x**" in beyond and "**missed**" in beyond
    assert "| bronze_to_silver: read and clean bronze | 310.00 | 100.00 |" in beyond
