from decimal import Decimal

from pyspark.sql import functions as F
from pyspark.sql.types import DecimalType, IntegerType

from transforms.columns import (
    blank_to_null,
    csv_field_count,
    first_matching_code,
    lower_code,
    matches_any,
    try_parse,
    try_parse_utc_timestamp,
    upper_code,
)


def _one_column(spark, values):
    return spark.createDataFrame([(v,) for v in values], "v string")


def test_blank_to_null_trims_and_nulls_empty_text(spark):
    df = _one_column(spark, ["  a ", "", "   ", None])
    assert [r[0] for r in df.select(blank_to_null(F.col("v"))).collect()] == ["a", None, None, None]


def test_codes_are_trimmed_and_case_folded(spark):
    df = _one_column(spark, [" emea ", "Emea", None])
    rows = df.select(upper_code(F.col("v")), lower_code(F.col("v"))).collect()
    assert [tuple(r) for r in rows] == [("EMEA", "emea"), ("EMEA", "emea"), (None, None)]


def test_try_parse_returns_null_instead_of_failing(spark):
    df = _one_column(spark, ["3", " 7 ", "two", "1.5", "", None])
    assert [r[0] for r in df.select(try_parse(F.col("v"), IntegerType())).collect()] == [3, 7, None, None, None, None]
    prices = _one_column(spark, ["12.50", "-3.1", "12,50"]).select(try_parse(F.col("v"), DecimalType(12, 2)))
    assert [r[0] for r in prices.collect()] == [Decimal("12.50"), Decimal("-3.10"), None]


def test_timestamps_are_read_as_utc_instants(spark):
    df = _one_column(
        spark,
        [
            "2026-01-05T10:15:00+02:00",
            "2026-01-05T08:15:00Z",
            "2026-01-05 08:15:00",
            "2026-13-45 25:61:00",
            "yesterday",
            None,
        ],
    )
    out = df.select(F.date_format(try_parse_utc_timestamp(F.col("v")), "yyyy-MM-dd HH:mm").alias("t"))
    assert [r.t for r in out.collect()] == ["2026-01-05 08:15"] * 3 + [None, None, None]


def test_csv_field_count_ignores_delimiters_inside_quotes(spark):
    df = _one_column(spark, ["a,b,c", 'a,"b,c",d', 'a,"say ""hi"", ok",c', "a", "a,,"])
    assert [r[0] for r in df.select(csv_field_count(F.col("v"))).collect()] == [3, 3, 3, 1, 3]


def test_csv_field_count_counts_fields_of_any_characters_by_any_delimiter(spark):
    df = _one_column(spark, ["ä,ö,ü", "€,,😀", "ä||ö||ü", "a|b||c"])
    assert [r[0] for r in df.select(csv_field_count(F.col("v"))).collect()] == [3, 3, 1, 1]
    assert [r[0] for r in df.select(csv_field_count(F.col("v"), "||")).collect()] == [1, 1, 3, 2]


def test_first_matching_code_takes_the_first_rule_that_holds(spark):
    df = spark.createDataFrame([(1,), (5,), (50,), (None,)], "n int")
    rules = [("SMALL", F.col("n") < 3), ("LARGE", F.col("n") > 10), ("MISSING", F.col("n").isNull())]
    assert [r[0] for r in df.select(first_matching_code(rules)).collect()] == ["SMALL", None, "LARGE", "MISSING"]


def test_matches_any_keeps_exactly_the_listed_partitions(spark):
    rows = spark.createDataFrame(
        [("orders", "2026-01-01", 1), ("orders", "2026-01-02", 2), ("returns", "2026-01-01", 3), (None, None, 4)],
        "dataset string, day string, n int",
    )
    wanted = [{"dataset": "orders", "day": "2026-01-02"}, {"dataset": "returns", "day": "2026-01-01"}]
    # Hundreds of partitions make one flat condition, not a chain deep enough to overflow Spark's stack.
    many = wanted + [
        {"dataset": "fx_rates", "day": f"2025-{m:02d}-{d:02d}"} for m in range(1, 13) for d in range(1, 29)
    ]
    assert sorted(r.n for r in rows.where(matches_any(wanted)).collect()) == [2, 3]
    assert sorted(r.n for r in rows.where(matches_any(many)).collect()) == [2, 3]
    assert rows.where(matches_any([])).count() == 0


def test_csv_field_count_counts_a_line_split_already_without_splitting_it_again(spark):
    # The given split is taken as the fields of a line without quotes; a line with quotes is
    # counted from its text (splitting it on every comma would count 4 here, not 3).
    df = _one_column(spark, ["a,b,c", 'a,"b,c",d', "a,,"])
    given = F.split(F.col("v"), ",", -1)
    assert [r[0] for r in df.select(csv_field_count(F.col("v"), split_line=given)).collect()] == [3, 3, 3]
