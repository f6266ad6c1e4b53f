"""Every table of the lake, declared once: schema, keys, partitioning, owner and SLA.

The transforms, the quality suites, the catalog registration and the infra checks all
read these declarations; no other module keeps its own copy of a column list.
"""

from __future__ import annotations

from typing import Any

from pyspark.sql.types import (
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    IntegerType,
    LongType,
    StringType,
    TimestampType,
)

from transforms.contract_types import LINEAGE, BronzeSource, TableContract

MONEY = DecimalType(18, 2)
UNIT_PRICE = DecimalType(12, 2)

# Reference values: the canonical forms silver standardizes to.
REGIONS = ("APAC", "EMEA", "LATAM", "NA")
CHANNELS = ("online", "partner", "store")
CURRENCIES = ("EUR", "GBP", "JPY", "USD")
BASE_CURRENCY = "USD"  # FX rates are quoted to it; it needs no rate of its own
FX_RATE = DecimalType(18, 8)
RATIO = DecimalType(12, 4)

# Country spellings seen in the customer feed -> ISO 3166-1 alpha-2.
COUNTRY_ALIASES = {
    "DE": "DE",
    "DEU": "DE",
    "GERMANY": "DE",
    "DEUTSCHLAND": "DE",
    "FR": "FR",
    "FRA": "FR",
    "FRANCE": "FR",
    "GB": "GB",
    "GBR": "GB",
    "UK": "GB",
    "UNITED KINGDOM": "GB",
    "US": "US",
    "USA": "US",
    "UNITED STATES": "US",
    "JP": "JP",
    "JPN": "JP",
    "JAPAN": "JP",
    "BR": "BR",
    "BRA": "BR",
    "BRAZIL": "BR",
}

# RFM scoring: (lowest value for the score, score), best first. Recency counts days since the
# customer's last order, as of the latest order date in the lake (so reruns agree).
RECENCY_DAYS_SCORES = ((7, 5), (14, 4), (30, 3), (60, 2))  # at most N days -> score
FREQUENCY_SCORES = ((5, 5), (4, 4), (3, 3), (2, 2))  # at least N orders -> score
MONETARY_USD_SCORES = ((2000, 5), (1000, 4), (500, 3), (200, 2))  # at least N USD -> score
# Segments by (recency, frequency) scores: the first rule that matches wins.
RFM_SEGMENTS = (
    ("champion", 4, 4),  # recency >= 4 and frequency >= 4
    ("loyal", 3, 3),
    ("new", 4, 1),
    ("at_risk", 1, 3),
    ("occasional", 1, 1),
)


def _columns(*specs: tuple[Any, ...]) -> tuple[tuple[str, DataType, bool], ...]:
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

LINEAGE_COLUMNS = _columns(*zip(LINEAGE, (StringType(), IntegerType()), strict=True), ("ingest_date", DateType()))

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
        ("fx_rate_to_usd", FX_RATE),
        ("line_amount_usd", MONEY),
        ("is_unknown_customer", BooleanType()),
        ("is_unknown_product", BooleanType()),
    )
    + LINEAGE_COLUMNS
    + _columns(("order_date", DateType())),
    column_docs={
        "order_ts": "UTC instant of the order",
        "line_amount": "quantity * unit_price, in the order's currency",
        "line_amount_usd": "line_amount at the rate of the order date, rounded half-up to cents",
        "is_unknown_customer": "true when the customer is not in sales silver customers",
    },
)


def quarantine_table(domain: str) -> TableContract:
    """Each domain keeps the records its silver rejected, with reason code and lineage."""
    return TableContract(
        domain=domain,
        layer="quarantine",
        name="rejected_records",
        description="Every landed record that silver rejected, with its reason code and lineage.",
        owner=f"{domain}-data@example.com",
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


SILVER_CUSTOMERS = TableContract(
    domain="customer",
    layer="silver",
    name="customers",
    description="Latest version of each customer; email and phone only as keyed hashes.",
    owner="customer-data@example.com",
    sla_hours=24,
    primary_key=("customer_id",),
    columns=_columns(
        ("customer_id", StringType()),
        ("email_hash", StringType()),
        ("phone_hash", StringType(), True),
        ("city", StringType(), True),
        ("country_code", StringType()),
        ("updated_at", TimestampType()),
    )
    + LINEAGE_COLUMNS,
    column_docs={
        "email_hash": "sha-256 of the keyed, trimmed, lower-cased email: joinable, never readable",
        "country_code": "ISO 3166-1 alpha-2",
    },
)

SILVER_PRODUCTS = TableContract(
    domain="product",
    layer="silver",
    name="products",
    description="The product catalog, latest version of each SKU.",
    owner="product-data@example.com",
    primary_key=("product_sku",),
    columns=_columns(
        ("product_sku", StringType()),
        ("product_name", StringType()),
        ("category", StringType()),
        ("list_price_usd", UNIT_PRICE),
        ("unit_cost_usd", UNIT_PRICE),
        ("is_active", BooleanType()),
    )
    + LINEAGE_COLUMNS,
)

SILVER_FX_RATES = TableContract(
    domain="sales",
    layer="silver",
    name="fx_rates",
    description="Daily rate per currency to USD.",
    owner="sales-data@example.com",
    primary_key=("rate_date", "currency"),
    columns=_columns(
        ("rate_date", DateType()),
        ("currency", StringType()),
        ("rate_to_usd", FX_RATE),
    )
    + LINEAGE_COLUMNS,
    column_docs={"rate_to_usd": "USD for one unit of the currency"},
)

SILVER_RETURNS = TableContract(
    domain="sales",
    layer="silver",
    name="returns",
    description="Returns linked to the order line they return, refunds in USD.",
    owner="sales-data@example.com",
    primary_key=("return_id",),
    partition_by=("return_date",),
    columns=_columns(
        ("return_id", StringType()),
        ("order_id", StringType()),
        ("line_no", IntegerType()),
        ("product_sku", StringType()),
        ("customer_id", StringType()),
        ("order_date", DateType()),
        ("quantity", IntegerType()),
        ("return_reason", StringType(), True),
        ("returned_at", TimestampType()),
        ("refund_usd", MONEY),
    )
    + LINEAGE_COLUMNS
    + _columns(("return_date", DateType())),
    column_docs={"refund_usd": "returned quantity at the line's USD unit price, rounded half-up"},
)

GOLD_DAILY_SALES = TableContract(
    domain="sales",
    layer="gold",
    name="daily_sales",
    description="Revenue, returns, net revenue (USD), orders and units per day, region and channel.",
    owner="sales-analytics@example.com",
    sla_hours=8,
    primary_key=("order_date", "region", "channel"),
    partition_by=("order_date",),
    columns=_columns(
        ("region", StringType()),
        ("channel", StringType()),
        ("revenue_usd", MONEY),
        ("returns_usd", MONEY),
        ("net_revenue_usd", MONEY),
        ("orders", LongType()),
        ("units", LongType()),
        ("avg_order_value_usd", MONEY),
        ("order_date", DateType()),
    ),
    column_docs={
        "returns_usd": "refunds of returns of the day's orders, whenever they were returned",
        "avg_order_value_usd": "revenue_usd / orders, rounded half-up to cents",
    },
)

GOLD_SALES_KPIS_MONTHLY = TableContract(
    domain="sales",
    layer="gold",
    name="sales_kpis_monthly",
    description="Monthly sales KPIs: revenue, orders, AOV, new vs returning customers, returns, growth.",
    owner="sales-analytics@example.com",
    sla_hours=24,
    primary_key=("month",),
    columns=_columns(
        ("month", DateType()),
        ("revenue_usd", MONEY),
        ("net_revenue_usd", MONEY),
        ("orders", LongType()),
        ("avg_order_value_usd", MONEY),
        ("customers", LongType()),
        ("new_customers", LongType()),
        ("returning_customers", LongType()),
        ("units", LongType()),
        ("returned_units", LongType()),
        ("return_rate", RATIO),
        ("revenue_mom_growth", RATIO, True),
    ),
    column_docs={
        "month": "first day of the month",
        "new_customers": "customers whose first order in the lake falls in this month",
        "return_rate": "returned units / units sold, for the month's orders",
        "revenue_mom_growth": "revenue_usd / previous month's - 1; null for the first month",
    },
)

GOLD_PRODUCT_PERFORMANCE = TableContract(
    domain="product",
    layer="gold",
    name="product_performance",
    description="Per product and month: units, revenue, returns and gross margin (USD).",
    owner="product-analytics@example.com",
    sla_hours=24,
    primary_key=("month", "product_sku"),
    columns=_columns(
        ("month", DateType()),
        ("product_sku", StringType()),
        ("product_name", StringType(), True),
        ("category", StringType(), True),
        ("units", LongType()),
        ("revenue_usd", MONEY),
        ("returned_units", LongType()),
        ("return_rate", RATIO),
        ("cost_usd", MONEY, True),
        ("gross_margin_usd", MONEY, True),
        ("is_negative_margin", BooleanType()),
    ),
    column_docs={
        "cost_usd": "units * unit cost; null when the product is not in the catalog",
        "gross_margin_usd": "revenue_usd - cost_usd",
    },
)

GOLD_CUSTOMER_LTV = TableContract(
    domain="customer",
    layer="gold",
    name="customer_ltv",
    description="Per customer: first and last order, orders, lifetime net revenue, RFM scores and segment.",
    owner="customer-analytics@example.com",
    sla_hours=24,
    primary_key=("customer_id",),
    columns=_columns(
        ("customer_id", StringType()),
        ("country_code", StringType(), True),
        ("first_order_date", DateType()),
        ("last_order_date", DateType()),
        ("orders", LongType()),
        ("lifetime_revenue_usd", MONEY),
        ("recency_days", IntegerType()),
        ("recency_score", IntegerType()),
        ("frequency_score", IntegerType()),
        ("monetary_score", IntegerType()),
        ("rfm_segment", StringType()),
    ),
    column_docs={
        "lifetime_revenue_usd": "order revenue minus refunds, USD",
        "recency_days": "days from the last order to the latest order date in the lake",
    },
)

SILVER_TABLES = (SILVER_ORDERS, SILVER_CUSTOMERS, SILVER_PRODUCTS, SILVER_FX_RATES, SILVER_RETURNS)
GOLD_TABLES = (GOLD_DAILY_SALES, GOLD_SALES_KPIS_MONTHLY, GOLD_PRODUCT_PERFORMANCE, GOLD_CUSTOMER_LTV)
DOMAINS = ("sales", "customer", "product")
QUARANTINE_TABLES = {domain: quarantine_table(domain) for domain in DOMAINS}
ALL_TABLES = SILVER_TABLES + tuple(QUARANTINE_TABLES.values()) + GOLD_TABLES


# Landed field layouts, in file order.
FX_FILE_COLUMNS = ("rate_date", "currency", "rate_to_usd")
CUSTOMER_RECORD_SCHEMA = (
    "customer_id STRING, email STRING, phone STRING, updated_at STRING, "
    "address STRUCT<street: STRING, city: STRING, postal_code: STRING, country: STRING>"
)
CUSTOMER_RECORD_FIELDS = ("customer_id", "email", "phone", "updated_at", "address")
PRODUCT_RECORD_COLUMNS = ("sku", "name", "category", "list_price", "unit_cost", "active")
RETURN_RECORD_COLUMNS = ("return_id", "order_id", "line_no", "quantity", "reason", "returned_at")

# Each source with its landed layout: the one statement of it that the readers, the sample
# data and the benchmark's data follow (tests/unit/test_landed_layouts.py).
ORDERS_SOURCE = BronzeSource(domain="sales", dataset="orders", file_format="csv", columns=ORDER_FILE_COLUMNS)
FX_RATES_SOURCE = BronzeSource(domain="sales", dataset="fx_rates", file_format="csv", columns=FX_FILE_COLUMNS)
CUSTOMERS_SOURCE = BronzeSource(
    domain="customer", dataset="customers", file_format="jsonl", columns=CUSTOMER_RECORD_FIELDS
)
PRODUCTS_SOURCE = BronzeSource(
    domain="product", dataset="products", file_format="parquet", columns=PRODUCT_RECORD_COLUMNS
)
RETURNS_SOURCE = BronzeSource(domain="sales", dataset="returns", file_format="avro", columns=RETURN_RECORD_COLUMNS)
SOURCES = (ORDERS_SOURCE, FX_RATES_SOURCE, CUSTOMERS_SOURCE, PRODUCTS_SOURCE, RETURNS_SOURCE)
