"""Every table of the lake, declared once: schema, keys, partitioning, owner and SLA.

The transforms, the quality suites, the catalog registration and the infra checks all
read these declarations; no other module keeps its own copy of a column list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyspark.sql.types import (
    DataType,
    DateType,
    DecimalType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

MONEY = DecimalType(18, 2)
UNIT_PRICE = DecimalType(12, 2)

# Reference values: the canonical forms silver standardizes to.
REGIONS = ("APAC", "EMEA", "LATAM", "NA")
CHANNELS = ("online", "partner", "store")
CURRENCIES = ("EUR", "GBP", "JPY", "USD")


@dataclass(frozen=True)
class TableContract:
    """A table's schema and the promises its owner makes about it."""

    domain: str
    layer: str
    name: str
    columns: tuple[tuple[str, DataType, bool], ...]
    primary_key: tuple[str, ...]
    partition_by: tuple[str, ...] = ()
    owner: str = ""
    sla_hours: int = 24
    description: str = ""
    column_docs: dict[str, str] = field(default_factory=dict)

    @property
    def database(self) -> str:
        return f"{self.domain}_{self.layer}"

    @property
    def qualified_name(self) -> str:
        return f"{self.database}.{self.name}"

    @property
    def schema(self) -> StructType:
        return StructType([StructField(n, t, nullable) for n, t, nullable in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [n for n, _, _ in self.columns]

    @property
    def data_columns(self) -> list[str]:
        """Columns stored in the files (partition columns live in the folder names)."""
        return [n for n in self.column_names if n not in self.partition_by]


def _columns(*specs: tuple) -> tuple[tuple[str, DataType, bool], ...]:
    """(name, type) means NOT NULL; (name, type, True) means nullable."""
    return tuple((s[0], s[1], len(s) > 2 and s[2]) for s in specs)


# The landed CSV header, in file order. Bronze keeps every field as text.
ORDER_FILE_COLUMNS = (
    "order_id",
    "line_no",
    "customer_id",
    "product_sku",
    "order_ts",
    "region",
    "channel",
    "quantity",
    "unit_price",
    "currency",
)

LINEAGE_COLUMNS = _columns(
    ("source_file", StringType()),
    ("source_line", IntegerType()),
    ("ingest_date", DateType()),
)

SILVER_ORDERS = TableContract(
    domain="sales",
    layer="silver",
    name="orders",
    description="One row per order line: typed, standardized, latest version wins.",
    owner="sales-data@example.com",
    sla_hours=6,
    primary_key=("order_id", "line_no"),
    partition_by=("order_date",),
    columns=_columns(
        ("order_id", StringType()),
        ("line_no", IntegerType()),
        ("customer_id", StringType()),
        ("product_sku", StringType()),
        ("order_ts", TimestampType()),
        ("region", StringType()),
        ("channel", StringType()),
        ("quantity", IntegerType()),
        ("unit_price", UNIT_PRICE),
        ("currency", StringType()),
        ("line_amount", MONEY),
    )
    + LINEAGE_COLUMNS
    + _columns(("order_date", DateType())),
    column_docs={
        "order_ts": "UTC instant of the order",
        "line_amount": "quantity * unit_price, in the order's currency",
    },
)

QUARANTINE = TableContract(
    domain="sales",
    layer="quarantine",
    name="rejected_records",
    description="Every landed record that silver rejected, with its reason code and lineage.",
    owner="sales-data@example.com",
    primary_key=("dataset", "source_file", "source_line"),
    partition_by=("dataset", "ingest_date"),
    columns=_columns(
        ("reject_reason", StringType()),
        ("raw_record", StringType(), True),
        ("record_key", StringType(), True),
        ("source_file", StringType()),
        ("source_line", IntegerType()),
        ("dataset", StringType()),
        ("ingest_date", DateType()),
    ),
)

GOLD_DAILY_SALES = TableContract(
    domain="sales",
    layer="gold",
    name="daily_sales",
    description="Revenue, orders and units per day, region, channel and currency.",
    owner="sales-analytics@example.com",
    sla_hours=8,
    primary_key=("order_date", "region", "channel", "currency"),
    partition_by=("order_date",),
    columns=_columns(
        ("region", StringType()),
        ("channel", StringType()),
        ("currency", StringType()),
        ("revenue", MONEY),
        ("orders", LongType()),
        ("units", LongType()),
        ("avg_order_value", MONEY),
        ("order_date", DateType()),
    ),
    column_docs={
        "revenue": "sum of line amounts, in the currency of the row",
        "avg_order_value": "revenue / orders, rounded half-up to cents",
    },
)

ALL_TABLES = (SILVER_ORDERS, QUARANTINE, GOLD_DAILY_SALES)


@dataclass(frozen=True)
class BronzeSource:
    """A landed dataset: files under `<bronze>/<domain>/<dataset>/ingest_date=YYYY-MM-DD/`."""

    domain: str
    dataset: str
    file_format: str

    @property
    def prefix(self) -> str:
        return f"{self.domain}/{self.dataset}"


ORDERS_SOURCE = BronzeSource(domain="sales", dataset="orders", file_format="csv")
