"""Athena (Trino) SQL translated to Spark SQL with sqlglot; what cannot be translated is an
error naming it (the named queries themselves run in tests/e2e/test_pipeline.py)."""

from __future__ import annotations

from datetime import date

import pytest

from local.catalog.athena_sql import UntranslatableQuery, athena_to_spark


def test_trino_functions_and_syntax_become_spark_sql():
    (statement,) = athena_to_spark(
        "SELECT date_add('day', -30, current_date) AS d, approx_percentile(x, 0.5) AS p, regexp_like(s, 'a') AS m "
        "FROM sales_gold.daily_sales CROSS JOIN UNNEST(tags) AS t(tag)"
    )
    assert statement == (
        "SELECT DATE_ADD(CURRENT_DATE, -30) AS d, PERCENTILE_APPROX(x, 0.5) AS p, s RLIKE 'a' AS m "
        "FROM sales_gold.daily_sales LATERAL VIEW EXPLODE(tags) t AS tag"
    )


def test_current_date_can_be_pinned_to_a_day():
    (statement,) = athena_to_spark("SELECT * FROM t WHERE d >= current_date - INTERVAL '7' DAY", today=date(2026, 3, 3))
    assert "CAST('2026-03-03' AS DATE)" in statement and "CURRENT_DATE" not in statement


def test_several_statements_each_translated():
    assert athena_to_spark("SELECT 1; SELECT 2") == ["SELECT 1", "SELECT 2"]


def test_a_construct_spark_lacks_is_named():
    with pytest.raises(UntranslatableQuery, match="cannot be translated to spark SQL: .*TRY"):
        athena_to_spark("SELECT try(1 / 0)")


def test_a_function_spark_does_not_have_is_named():
    known = {"upper"}.__contains__
    with pytest.raises(UntranslatableQuery, match="no Spark equivalent here: human_readable_seconds, word_stem"):
        athena_to_spark("SELECT word_stem(a), human_readable_seconds(b), upper(a) FROM t", known)


def test_text_that_is_not_sql_says_so():
    with pytest.raises(UntranslatableQuery, match="not Athena SQL"):
        athena_to_spark("SELECT FROM WHERE (")
    with pytest.raises(UntranslatableQuery, match="no statement"):
        athena_to_spark("-- only a comment")
