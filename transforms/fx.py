"""FX rates: landed CSV text -> one typed rate per day and currency."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import DateType

from transforms.bronze import csv_records, csv_reject_rules
from transforms.columns import not_in, try_parse, upper_code
from transforms.contracts import CURRENCIES, FX_FILE_COLUMNS, FX_RATE
from transforms.frames import with_reasons


def fx_reject_rules() -> list[tuple[str, Column]]:
    c = F.col
    return csv_reject_rules() + [
        ("BAD_DATE", c("rate_date").isNull()),
        ("UNKNOWN_CURRENCY", not_in(c("currency"), CURRENCIES)),
        ("BAD_RATE", c("rate_to_usd").isNull() | (c("rate_to_usd") <= 0)),
    ]


def fx_rates_with_reasons(lines: DataFrame) -> DataFrame:
    fields = lines.transform(csv_records, FX_FILE_COLUMNS)
    typed = fields.withColumns(
        {
            "rate_date": try_parse(F.col("rate_date"), DateType()),
            "currency": upper_code(F.col("currency")),
            "rate_to_usd": try_parse(F.col("rate_to_usd"), FX_RATE),
        }
    )
    return typed.transform(with_reasons, fx_reject_rules())
