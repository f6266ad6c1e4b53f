"""Generic DataFrame transforms shared by every dataset."""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from transforms.columns import first_matching_code
from transforms.contract_types import TableContract

REJECT_REASON = "reject_reason"
SUPERSEDED = "DUPLICATE_SUPERSEDED"
UNREADABLE_FILE = "UNREADABLE_FILE"
UNREADABLE_LINE = 0  # the one record standing for a file that could not be read at all
MAX_RECORD_CHARS = 100_000  # longer records are quarantined, not parsed into silver
REPLACEMENT_CHARACTER = "\ufffd"  # what invalid UTF-8 decodes to


class ContractViolation(ValueError):
    """A DataFrame lacks columns its table contract requires."""


def conform_to_contract(df: DataFrame, contract: TableContract) -> DataFrame:
    """Exactly the contract's columns, in its order and types, its derived columns computed
    where `df` has none; fails on any other missing column."""
    df = with_derived_columns(df, contract)
    missing = [c for c in contract.column_names if c not in df.columns]
    if missing:
        raise ContractViolation(f"{contract.qualified_name}: missing columns {missing}")
    return df.select(*[F.col(n).cast(t).alias(n) for n, t, _ in contract.columns])


def with_derived_columns(df: DataFrame, contract: TableContract) -> DataFrame:
    """`df` with the contract's derived columns it lacks, computed from its other columns."""
    lacking = {name: F.expr(sql) for name, sql in contract.derived.items() if name not in df.columns}
    return df.withColumns(lacking) if lacking else df


def with_reject_reason(df: DataFrame, rules: list[tuple[str, Column]]) -> DataFrame:
    """Add `reject_reason`: the code of the first broken rule, null for a good row."""
    return df.withColumn(REJECT_REASON, first_matching_code(rules))


def flag_superseded(df: DataFrame, keys: Sequence[str], newest_first: Sequence[Column]) -> DataFrame:
    """Among good rows sharing `keys`, keep the newest; mark the others as superseded.

    Rejected rows sort after good ones, so they never shadow a good version. Ties are
    broken by `newest_first`, which must make the order total for a deterministic result.
    """
    rank = F.row_number().over(Window.partitionBy(*keys).orderBy(F.col(REJECT_REASON).isNotNull(), *newest_first))
    superseded = F.col(REJECT_REASON).isNull() & (rank > 1)
    return df.withColumn(REJECT_REASON, F.when(superseded, F.lit(SUPERSEDED)).otherwise(F.col(REJECT_REASON)))


def accepted(df: DataFrame) -> DataFrame:
    return df.where(F.col(REJECT_REASON).isNull()).drop(REJECT_REASON)


def rejected(df: DataFrame) -> DataFrame:
    return df.where(F.col(REJECT_REASON).isNotNull())


def to_quarantine(df: DataFrame, dataset: str, keys: Sequence[str]) -> DataFrame:
    """Rejected rows in the quarantine table's shape: reason, raw record, key and lineage (its
    month partition column is derived when the rows are written)."""
    record_key = F.concat_ws("|", *[F.col(k).cast("string") for k in keys])
    return rejected(df).select(
        F.lit(dataset).alias("dataset"),
        REJECT_REASON,
        "raw_record",
        F.when(record_key != "", record_key).alias("record_key"),
        "source_file",
        "source_line",
        "ingest_date",
    )


def outcome_counts(df: DataFrame) -> DataFrame:
    """Rows per source file and outcome (`accepted` or a reject reason): the conservation ledger."""
    outcome = F.coalesce(F.col(REJECT_REASON), F.lit("accepted")).alias("outcome")
    return df.groupBy("source_file", outcome).count()


def newest_landed_first() -> list[Column]:
    """The total order 'latest ingest wins': later ingest date, then later file, then later line."""
    return [F.col("ingest_date").desc(), F.col("source_file").desc(), F.col("source_line").desc()]


def record_rules() -> list[tuple[str, Column]]:
    """Rules for every dataset, before its own: what is wrong with the record as landed."""
    raw = F.col("raw_record")
    return [
        (UNREADABLE_FILE, F.col("source_line") == UNREADABLE_LINE),
        ("BAD_ENCODING", raw.contains(REPLACEMENT_CHARACTER)),
        # Characters are counted only in a record of more bytes than that: counting them walks
        # the whole text, and a UTF-8 character is at least a byte.
        ("RECORD_TOO_LONG", (F.octet_length(raw) > MAX_RECORD_CHARS) & (F.length(raw) > MAX_RECORD_CHARS)),
    ]


def with_reasons(df: DataFrame, rules: list[tuple[str, Column]]) -> DataFrame:
    """Reason codes: the record rules, then the dataset's `rules`. Versions are ranked apart
    (`flag_superseded`), since a batch is ranked once more against what silver holds."""
    return df.transform(with_reject_reason, record_rules() + rules)


def union_all(frames: Sequence[DataFrame]) -> DataFrame:
    """Stack frames of the same columns (matched by name)."""
    return reduce(DataFrame.unionByName, frames)
