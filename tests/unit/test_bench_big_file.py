"""The big-file benchmark's file: the order files joined with one header, every record counted."""

from __future__ import annotations

from bench.big_file import join_order_files
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
