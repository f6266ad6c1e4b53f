"""Customers: landed JSON lines -> latest valid version per customer, PII as keyed hashes."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from transforms.bronze import with_json_fields
from transforms.columns import blank_to_null, keyed_hash, lookup, redact_json_fields, try_parse_utc_timestamp
from transforms.contracts import COUNTRY_ALIASES, CUSTOMER_RECORD_SCHEMA
from transforms.frames import newest_landed_first, with_reasons

PII_FIELDS = ("email", "phone")
EMAIL_PATTERN = r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$"


def normalized_email(col: Column) -> Column:
    return F.lower(blank_to_null(col))


def normalized_phone(col: Column) -> Column:
    """Digits only, keeping a leading '+': '+1 (555) 010-2000' -> '+15550102000'."""
    return blank_to_null(F.regexp_replace(col, r"(?!^\+)[^0-9]", ""))


def customer_reject_rules() -> list[tuple[str, Column]]:
    c = F.col
    return [
        ("NOT_JSON", ~c("is_json")),
        ("WRONG_TYPE", c("has_wrong_types")),
        ("MISSING_ID", c("customer_id").isNull()),
        ("BAD_EMAIL", c("email").isNull() | ~c("email").rlike(EMAIL_PATTERN)),
        ("MISSING_COUNTRY", blank_to_null(c("country")).isNull()),
        ("UNKNOWN_COUNTRY", c("country_code").isNull()),
        ("BAD_TIMESTAMP", c("updated_at").isNull()),
    ]


def parse_customer_records(lines: DataFrame) -> DataFrame:
    records = lines.transform(with_json_fields, CUSTOMER_RECORD_SCHEMA)
    return records.withColumns(
        {
            "customer_id": blank_to_null(F.col("customer_id")),
            "email": normalized_email(F.col("email")),
            "phone": normalized_phone(F.col("phone")),
            "updated_at": try_parse_utc_timestamp(F.col("updated_at")),
            "city": F.initcap(blank_to_null(F.col("address.city"))),
            "country": F.col("address.country"),
            "country_code": lookup(F.upper(blank_to_null(F.col("address.country"))), COUNTRY_ALIASES),
        }
    )


def protect_pii(customers: DataFrame, hash_key: str) -> DataFrame:
    """Email and phone become keyed hashes; the clear values leave the frame, also from raw_record."""
    return customers.withColumns(
        {
            "email_hash": keyed_hash(F.col("email"), hash_key),
            "phone_hash": keyed_hash(F.col("phone"), hash_key),
            "raw_record": redact_json_fields(F.col("raw_record"), PII_FIELDS),
        }
    ).drop(*PII_FIELDS, "address")


def customer_versions_newest_first() -> list[Column]:
    """A customer's latest version is the latest `updated_at`, then the latest landed."""
    return [F.col("updated_at").desc_nulls_last(), *newest_landed_first()]


def customers_with_reasons(lines: DataFrame, hash_key: str) -> DataFrame:
    """Customer records with their reason code (or none), email and phone already hashed."""
    return (
        lines.transform(parse_customer_records)
        .transform(with_reasons, customer_reject_rules())
        .transform(protect_pii, hash_key)
    )
