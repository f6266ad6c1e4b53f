import datetime as dt

from chispa import assert_df_equality
from pyspark.sql import functions as F

from jobs.runtime.bronze_reader import text_records
from tests.helpers.spark import with_csv_header
from transforms.bronze import csv_records, header_drift, with_json_fields
from transforms.frames import MAX_RECORD_CHARS, with_reasons

RELATIVE = "sales/orders/ingest_date=2026-01-02/orders_2026-01-02.csv"
LINES = "source_file string, source_line int, ingest_date date, raw_record string"


def landed(spark, tmp_path, files: dict[str, bytes]) -> list[str]:
    folder = tmp_path / "lake/bronze" / RELATIVE.rsplit("/", 1)[0]
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [f"file:{folder / name}" for name in files]


def test_text_files_become_numbered_lines_with_lineage(spark, tmp_path):
    uris = landed(spark, tmp_path, {RELATIVE.rsplit("/", 1)[1]: "\ufeffh1,h2\r\n1,a\n\n   \n2,b\n".encode()})
    expected = spark.createDataFrame(
        [
            (RELATIVE, 1, dt.date(2026, 1, 2), "h1,h2"),
            (RELATIVE, 2, dt.date(2026, 1, 2), "1,a"),
            (RELATIVE, 5, dt.date(2026, 1, 2), "2,b"),
        ],
        LINES,
    )
    lines = text_records(spark, uris, "sales/orders", None).lines
    assert_df_equality(lines, expected, ignore_row_order=True, ignore_nullable=True)


def test_csv_lines_carry_their_files_header_laid_out_for_the_sources_columns(spark, tmp_path):
    uris = landed(spark, tmp_path, {"a.csv": '\n\ufeff "H1" ,h2\r\n1,a\n'.encode(), "b.csv": b""})
    lines = text_records(spark, uris, "sales/orders", ("h2", "h3", "h1")).lines
    header = ["source_line", "raw_record", "header_line", "header_width", "header_matches", "header_positions"]
    assert [tuple(r) for r in lines.select(*header).collect()] == [
        (2, ' "H1" ,h2', 2, 2, 2, [2, 0, 1]),
        (3, "1,a", 2, 2, 2, [2, 0, 1]),
    ]


def _csv(spark, columns, *texts, source="f.csv"):
    rows = [(source, n, dt.date(2026, 1, 2), t) for n, t in enumerate(texts, 1)]
    return with_csv_header(spark.createDataFrame(rows, LINES), columns)


def test_csv_fields_are_taken_by_the_headers_names_split_and_counted(spark):
    columns = ("first", "second")
    out = csv_records(_csv(spark, columns, "second,first", "a,b", 'x,"y,z"', "only", "p,q,r"), columns)
    expected = spark.createDataFrame(
        [
            (2, "a,b", True, 0, 2, 2, "b", "a"),
            (3, 'x,"y,z"', True, 0, 2, 2, "y,z", "x"),
            (4, "only", True, 0, 2, 1, None, "only"),
            (5, "p,q,r", True, 0, 2, 3, "q", "p"),
        ],
        "source_line int, raw_record string, header_found boolean, missing_columns int, header_width int,"
        " field_count int, first string, second string",
    )
    selected = out.select(*expected.columns)
    assert_df_equality(selected, expected, ignore_row_order=True, ignore_nullable=True)


def test_without_a_recognisable_header_every_line_is_a_record_and_missing_columns_are_counted(spark):
    no_header = csv_records(_csv(spark, ("first", "second"), "a,b", "c,d"), ("first", "second"))
    assert [(r.source_line, r.header_found, r.first) for r in no_header.orderBy("source_line").collect()] == [
        (1, False, None),
        (2, False, None),
    ]
    columns = ("first", "second", "third")
    extra_and_missing = csv_records(_csv(spark, columns, "first,extra,third", "a,b,c"), columns)
    row = extra_and_missing.collect()[0]
    assert (row.header_found, row.missing_columns, row.header_width, row.first, row.second, row.third) == (
        True,
        1,
        3,
        "a",
        None,
        "c",
    )


def test_lines_without_quotes_split_exactly_as_spark_parses_them(spark):
    tricky = [
        "a,b,c",
        "a,,c",
        ",,",
        "a\\,b,c",
        " a , b ,c ",
        "a\tb,c",
        "a,b,c,d,e",
        "a",
        "\\",
        "a,'b,c'",
        "ä,ö,ü",
        "a, ,c",
    ]
    columns = ("f1", "f2", "f3")
    lines = _csv(spark, columns, ",".join(columns), *tricky)
    schema = ", ".join(f"{c} STRING" for c in columns)
    by_parser = (
        lines.where("source_line > 1")
        .select("source_line", F.from_csv("raw_record", schema, {"sep": ","}).alias("p"))
        .select("source_line", "p.*")
    )
    by_split = lines.transform(csv_records, columns).select("source_line", *columns)
    assert_df_equality(by_split, by_parser, ignore_row_order=True, ignore_nullable=True)


def test_header_drift_names_extra_and_missing_columns_but_not_an_unnamed_trailing_one():
    columns = ("first", "second", "third")
    assert header_drift('"Second",FIRST,third,', columns) == {}
    assert header_drift("first,second,note", columns) == {"extra": ["note"], "missing": ["third"]}
    assert header_drift("a;b;c", columns) == {"no_header": ["a;b;c"]}


def test_a_json_line_is_one_object_only_when_nothing_follows_it(spark):
    lines = [
        '{"k": "a", "n": 1}',
        ' {"k": "b"}  ',
        '{"k": "c"}{"k": "d"}',  # glued objects: Spark's parser alone would take the first
        '{"k": "e"} trailing words',
        '{"k": "f"}]',
        '{"k": "g"}, null',
        '{"k": "h"}, "\\u0000end of the record"',
        '[{"k": "i"}]',
        '{"k": 5}',
    ]
    rows = spark.createDataFrame([(t,) for t in lines], "raw_record string")
    out = with_json_fields(rows, "k STRING, n INT").collect()
    assert [(r.is_json, r.k if r.is_json else None) for r in out] == [
        (True, "a"),
        (True, "b"),
        (False, None),
        (False, None),
        (False, None),
        (False, None),
        (False, None),
        (False, None),
        (True, "5"),
    ]
    assert [r.has_wrong_types for r in out][-1] is True


def test_a_record_is_too_long_by_its_characters_not_its_bytes(spark):
    limit = MAX_RECORD_CHARS
    texts = {1: "a" * limit, 2: "a" * (limit + 1), 3: "ä" * limit, 4: "ä" * (limit + 1)}  # ä is two bytes
    lines = spark.createDataFrame([("f", n, dt.date(2026, 1, 2), t) for n, t in texts.items()], LINES)
    reasons = {r.source_line: r.reject_reason for r in with_reasons(lines, []).collect()}
    assert reasons == {1: None, 2: "RECORD_TOO_LONG", 3: None, 4: "RECORD_TOO_LONG"}
