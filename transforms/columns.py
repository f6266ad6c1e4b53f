"""Column helpers: Column in, Column out. No DataFrames here."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from typing import Any

from pyspark.sql import Column
from pyspark.sql import functions as F
from pyspark.sql.types import DataType


def blank_to_null(col: Column) -> Column:
    """Trimmed text, with empty strings turned into nulls."""
    trimmed = F.trim(col)
    return F.when(trimmed == "", None).otherwise(trimmed)


def upper_code(col: Column) -> Column:
    """' emea ' -> 'EMEA'."""
    return F.upper(blank_to_null(col))


def lower_code(col: Column) -> Column:
    return F.lower(blank_to_null(col))


def try_parse(col: Column, data_type: DataType) -> Column:
    """The text cast to `data_type`, or null when it does not parse (never an error)."""
    return blank_to_null(col).try_cast(data_type)


def try_parse_utc_timestamp(col: Column) -> Column:
    """An ISO-8601 timestamp (offset optional, UTC assumed) or null when unparseable."""
    return F.try_to_timestamp(blank_to_null(col))


def csv_field_count(line: Column, delimiter: str = ",", split_line: Column | None = None) -> Column:
    """How many fields a CSV line holds, counting delimiters outside quoted sections.

    Spark's CSV parser pads short rows and drops extra fields, so the count is taken here. A
    quote never closed runs to the end of the line, as a CSV parser would read it. A line with
    no quote at all (nearly every line) is split on the delimiter; only the others pay for the
    regular expressions. `split_line`, the line already split on the delimiter where it has
    no quote, saves splitting it again.
    """
    fields = F.split(line, re.escape(delimiter), -1) if split_line is None else split_line
    unquoted = F.regexp_replace(F.regexp_replace(line, r'"([^"]|"")*"', ""), '".*$', "")
    return F.when(line.contains('"'), F.size(F.split(unquoted, re.escape(delimiter), -1))).otherwise(F.size(fields))


def first_matching_code(rules: list[tuple[str, Column]]) -> Column:
    """The code of the first rule whose condition is true, else null."""
    return F.coalesce(*[F.when(condition, F.lit(code)) for code, condition in rules])


def any_of(conditions: Iterable[Column]) -> Column:
    """True when at least one condition is true."""
    return reduce(lambda a, b: a | b, conditions)


def lookup(col: Column, mapping: dict[str, str]) -> Column:
    """The mapped value of `col`, or null when it is not a key of `mapping`."""
    pairs = [F.lit(v) for item in sorted(mapping.items()) for v in item]
    return F.create_map(*pairs)[col]


def keyed_hash(col: Column, key: str) -> Column:
    """sha-256 hex of key + value: joinable across tables, unreadable without the key."""
    return F.when(col.isNotNull(), F.sha2(F.concat(F.lit(key), col), 256))


def redact_json_fields(raw_json: Column, fields: tuple[str, ...]) -> Column:
    """The JSON text with the string values of `fields` replaced, so PII never reaches quarantine."""
    for name in fields:
        raw_json = F.regexp_replace(raw_json, rf'("{name}"\s*:\s*)"[^"]*"', r'$1"<redacted>"')
    return raw_json


def score_by_thresholds(value: Column, thresholds: tuple[tuple[int, int], ...], at_most: bool = False) -> Column:
    """The score of the first (threshold, score) that `value` reaches (or stays under), else 1."""
    reached = [(value <= t) if at_most else (value >= t) for t, _ in thresholds]
    return F.coalesce(
        *[F.when(hit, F.lit(score)) for hit, (_, score) in zip(reached, thresholds, strict=True)], F.lit(1)
    )


def matches_any(rows: list[dict[str, Any]]) -> Column:
    """True where the columns named in `rows` hold one of the rows' values ({column: value}).

    A literal condition, so on partition columns Spark reads only the matching partitions. The
    last column's values become one IN list per combination of the others: a flat condition
    for hundreds of partitions, where a chain of ORs would overflow Spark's stack.
    """
    if not rows:
        return F.lit(False)
    *leading, last = list(rows[0])
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[k] for k in leading)].append(row[last])
    return any_of(
        reduce(
            lambda a, b: a & b,
            [F.col(k) == F.lit(v) for k, v in zip(leading, values, strict=True)],
            F.col(last).isin(lasts),
        )
        for values, lasts in groups.items()
    )


def not_in(col: Column, allowed: tuple[str, ...]) -> Column:
    """True when the value is null or not one of `allowed`."""
    return col.isNull() | ~col.isin(*allowed)
