import datetime as dt

from chispa import assert_df_equality

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
