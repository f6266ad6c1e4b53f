"""Every table and landed dataset of the lake, declared once, and the reference values silver
standardizes to.

The tables and datasets come from their ODCS data contracts (`<domain>/*.odcs.yaml` beside
this file, read by `transforms.odcs`): the transforms, the quality suites, the catalog
registration and the infra checks all read these; no other module keeps its own copy of a
column list. The quarantine tables are one shape for every domain, built here.
"""

from __future__ import annotations

from typing import Any

from pyspark.sql.types import (
    BooleanType,
    DateType,
    DecimalType,
    IntegerType,
    StringType,
    TimestampType,
)

from transforms.contract_types import LINEAGE, TableContract, columns_of
from transforms.odcs import bronze_source, record_ddl, table_contract

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


LINEAGE_COLUMNS = columns_of(*zip(LINEAGE, (StringType(), IntegerType()), strict=True), ("ingest_date", DateType()))

# The data products, each from its ODCS contract (transforms/contracts/<domain>/*.odcs.yaml).
SILVER_ORDERS = table_contract("sales/silver_orders")
SILVER_CUSTOMERS = table_contract("customer/silver_customers")
SILVER_PRODUCTS = table_contract("product/silver_products")
SILVER_FX_RATES = table_contract("sales/silver_fx_rates")
SILVER_RETURNS = table_contract("sales/silver_returns")
GOLD_DAILY_SALES = table_contract("sales/gold_daily_sales")
GOLD_SALES_KPIS_MONTHLY = table_contract("sales/gold_sales_kpis_monthly")
GOLD_PRODUCT_PERFORMANCE = table_contract("product/gold_product_performance")
GOLD_CUSTOMER_LTV = table_contract("customer/gold_customer_ltv")


def _domains_own_table(domain: str, **shape: Any) -> TableContract:
    """A table of the same shape in every domain, built here, owned by the domain's team."""
    return TableContract(domain=domain, owner=f"{domain}-data@example.com", **shape)


def quarantine_table(domain: str) -> TableContract:
    """Each domain keeps the records its silver rejected, with reason code and lineage.

    Partitioned by dataset and the month the records landed: a day's rejects are a few rows,
    and a partition per day made about a thousand files of a few rows each a year, each
    with Parquet's fixed cost to write (bench/NOTES.md) and one object and catalog entry more."""
    return _domains_own_table(
        domain,
        layer="quarantine",
        name="rejected_records",
        description="Every landed record that silver rejected, with its reason code and lineage.",
        primary_key=("dataset", "source_file", "source_line"),
        partition_by=("dataset", "ingest_month"),
        columns=columns_of(
            ("reject_reason", StringType()),
            ("raw_record", StringType(), True),
            ("record_key", StringType(), True),
            ("source_file", StringType()),
            ("source_line", IntegerType()),
            ("ingest_date", DateType()),
            ("dataset", StringType()),
            ("ingest_month", StringType()),
        ),
        column_docs={"ingest_month": "The month of ingest_date (yyyy-MM): the partition a record is kept in."},
        derived={"ingest_month": "date_format(ingest_date, 'yyyy-MM')"},
    )


def sla_history_table(domain: str) -> TableContract:
    """Each domain keeps every service level its contracts promise, as each run checked it: one
    file per run in the table's folder, so a run adds its results without rewriting another's."""
    return _domains_own_table(
        domain,
        layer="ops",
        name="sla_history",
        description="Every service level the domain's contracts promise, as each job run checked it.",
        primary_key=("run_id", "product", "property"),
        columns=columns_of(
            ("run_id", StringType()),
            ("job", StringType()),
            ("checked_at", TimestampType()),
            ("product", StringType()),
            ("property", StringType()),
            ("agreed", StringType()),
            ("measured", StringType()),
            ("met", BooleanType()),
            ("enforced", BooleanType()),
            ("detail", StringType(), True),
        ),
    )


SILVER_TABLES = (SILVER_ORDERS, SILVER_CUSTOMERS, SILVER_PRODUCTS, SILVER_FX_RATES, SILVER_RETURNS)
GOLD_TABLES = (GOLD_DAILY_SALES, GOLD_SALES_KPIS_MONTHLY, GOLD_PRODUCT_PERFORMANCE, GOLD_CUSTOMER_LTV)
DOMAINS = ("sales", "customer", "product")
QUARANTINE_TABLES = {domain: quarantine_table(domain) for domain in DOMAINS}
SLA_HISTORY_TABLES = {domain: sla_history_table(domain) for domain in DOMAINS}
ALL_TABLES = SILVER_TABLES + tuple(QUARANTINE_TABLES.values()) + GOLD_TABLES + tuple(SLA_HISTORY_TABLES.values())

# The landed datasets, each from its producer's contract (bronze_*.odcs.yaml): its file format
# and the fields a record carries, the one statement of the landed layout that the readers, the
# sample data and the benchmark's data follow (tests/unit/test_landed_layouts.py).
ORDERS_SOURCE = bronze_source("sales/bronze_orders")
FX_RATES_SOURCE = bronze_source("sales/bronze_fx_rates")
CUSTOMERS_SOURCE = bronze_source("customer/bronze_customers")
PRODUCTS_SOURCE = bronze_source("product/bronze_products")
RETURNS_SOURCE = bronze_source("sales/bronze_returns")
SOURCES = (ORDERS_SOURCE, FX_RATES_SOURCE, CUSTOMERS_SOURCE, PRODUCTS_SOURCE, RETURNS_SOURCE)
ORDER_FILE_COLUMNS = ORDERS_SOURCE.columns  # the landed CSV header, in file order
FX_FILE_COLUMNS = FX_RATES_SOURCE.columns
CUSTOMER_RECORD_SCHEMA = record_ddl("customer/bronze_customers")  # how a JSON line is parsed
