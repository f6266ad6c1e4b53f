"""Text files read in splits: with a split size of a few bytes every file is many splits, and
every line still gets the number a text editor shows it at."""

from __future__ import annotations

import gzip
from pathlib import Path

from jobs.runtime.text_files import SplitCount, SplitNumbering, number_splits, read_text_files
from tests.bad_input.counting import editor_line_numbers
from tests.helpers.spark import spark_settings


def test_a_split_is_numbered_from_the_lines_of_the_splits_before_it_in_its_file():
    counts = [
        SplitCount("file:b", "b", 0, 100, 2, 100, "hb"),
        SplitCount("file:a", "a", 64, 20, 3, 21, "x"),  # listed out of order: the order is by start
        SplitCount("file:a", "a", 0, 10, 4, None, None),  # four blank lines
        SplitCount("file:a", "a", 128, 30, 1, 30, "y"),
    ]
    assert sorted(number_splits(counts), key=lambda n: (n.path, n.start)) == [
        # line of row id r = r + shift; the header is the first non-blank line of the file
        SplitNumbering("file:a", 0, "a", 1 - 10, 6, "x"),
        SplitNumbering("file:a", 64, "a", 5 - 20, 6, "x"),
        SplitNumbering("file:a", 128, "a", 8 - 30, 6, "x"),
        SplitNumbering("file:b", 0, "b", 1 - 100, 1, "hb"),
    ]


FILES = {
    "lf.csv": b"h1,h2\n" + b"".join(b"%d,x\n" % n for n in range(40)),
    "crlf and blanks.csv": b"\r\n  \r\nh1,h2\r\n" + b"\r\n".join(b"%d,y" % n for n in range(30)),
    "lone cr (old Mac).csv": b"\xef\xbb\xbfh1,h2\r1,a\r\r2,b\r",
    "no final newline.jsonl": b'{"a": 1}\n\n{"a": 2}',
    "empty.csv": b"",
    "blank only.csv": b"\n \n\n",
}


def land(folder: Path, files: dict[str, bytes]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [f"file:{folder / name}" for name in files]


def test_every_line_keeps_its_exact_number_when_files_are_read_in_many_splits(spark, tmp_path):
    uris = land(tmp_path / "ingest_date=2026-01-02", FILES)
    gzipped = tmp_path / "ingest_date=2026-01-02" / "gz.csv.gz"
    gzipped.write_bytes(gzip.compress(FILES["crlf and blanks.csv"]))
    with spark_settings(spark, {"spark.sql.files.maxPartitionBytes": "16"}):
        read = read_text_files(spark, [*uris, f"file:{gzipped}"])
        rows = read.lines.collect()
        splits = read.lines.rdd.getNumPartitions()
    assert splits > 20  # the mechanism under test: the files are read in many splits
    assert read.unreadable == []
    for name, data in {**FILES, gzipped.name: FILES["crlf and blanks.csv"]}.items():
        found = {r.source_line: r.raw_record for r in rows if r.path.endswith("/" + name)}
        expected = editor_line_numbers(data)
        assert found == expected, name
        headers = {(r.header_line, r.header_text) for r in rows if r.path.endswith("/" + name)}
        assert headers == ({(min(expected), expected[min(expected)])} if expected else set()), name
    assert read.first_lines[f"file:{gzipped}"] == "h1,h2"
    assert read.splits[f"file:{gzipped}"] == 1  # gzip cannot be split
    assert read.splits[uris[0]] > 10  # of 16 bytes each (a split where no line starts has no rows)
    assert set(read.first_lines) == {r.path for r in rows}  # empty and blank files have none


def test_a_file_that_cannot_be_decompressed_is_named_and_the_others_are_read(spark, tmp_path):
    uris = land(
        tmp_path,
        {"good.csv": b"h\n1\n", "broken.csv.gz": gzip.compress(b"".join(b"%d\n" % n for n in range(20_000)))[:-200]},
    )
    read = read_text_files(spark, uris)
    assert [uri for uri, _ in read.unreadable] == [uris[1]]
    assert "Unexpected end of" in str(read.unreadable[0][1])
    assert sorted((r.source_line, r.raw_record) for r in read.lines.collect()) == [(1, "h"), (2, "1")]
