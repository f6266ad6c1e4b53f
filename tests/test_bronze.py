import datetime as dt

from chispa import assert_df_equality
from pyspark.sql import functions as F

from transforms.bronze import drop_header, read_text_lines, with_csv_fields

PATH = "file:/lake/bronze/sales/orders/ingest_date=2026-01-02/orders_2026-01-02.csv"
RELATIVE = "sales/orders/ingest_date=2026-01-02/orders_2026-01-02.csv"


def test_whole_files_become_numbered_lines_with_lineage(spark):
    text = "\ufeffh1,h2\r\n1,a\n\n   \n2,b\n"
    files = spark.createDataFrame([(PATH, text)], "path string, value string")
    expected = spark.createDataFrame(
        [
            (RELATIVE, 1, dt.date(2026, 1, 2), "h1,h2"),
            (RELATIVE, 2, dt.date(2026, 1, 2), "1,a"),
            (RELATIVE, 5, dt.date(2026, 1, 2), "2,b"),
        ],
        "source_file string, source_line int, ingest_date date, raw_record string",
    )
    assert_df_equality(read_text_lines(files, "sales/orders"), expected, ignore_row_order=True, ignore_nullable=True)


def test_csv_fields_are_split_and_counted(spark):
    lines = spark.createDataFrame(
        [(1, "a,b"), (2, 'x,"y,z"'), (3, "only"), (4, "p,q,r")], "source_line int, raw_record string"
    )
    out = lines.transform(drop_header).transform(with_csv_fields, ("first", "second"))
    expected = spark.createDataFrame(
        [(2, 'x,"y,z"', 2, "x", "y,z"), (3, "only", 1, "only", None), (4, "p,q,r", 3, "p", "q")],
        "source_line int, raw_record string, field_count int, first string, second string",
    )
    assert_df_equality(out, expected, ignore_row_order=True, ignore_nullable=True)


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
    lines = spark.createDataFrame(
        [(i + 2, text) for i, text in enumerate(tricky)], "source_line int, raw_record string"
    )
    columns = ("f1", "f2", "f3")
    schema = ", ".join(f"{c} STRING" for c in columns)
    by_parser = lines.select("source_line", F.from_csv("raw_record", schema, {"sep": ","}).alias("p")).select(
        "source_line", "p.*"
    )
    by_split = lines.transform(with_csv_fields, columns).select("source_line", *columns)
    assert_df_equality(by_split, by_parser, ignore_row_order=True, ignore_nullable=True)
