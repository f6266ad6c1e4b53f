"""Customers (JSON), FX rates (CSV), products (Parquet-as-JSON rows) and returns (Avro-as-JSON rows)."""

import datetime as dt
import json
from decimal import Decimal

from tests.helpers.cleaning import clean_customers, clean_fx_rates, clean_products, clean_returns
from tests.helpers.spark import with_csv_header
from transforms.contracts import FX_FILE_COLUMNS
from transforms.frames import SUPERSEDED, accepted, rejected

KEY = "test-key"
LINES = "source_file string, source_line int, ingest_date date, raw_record string"


def _records(spark, *texts, day=dt.date(2026, 1, 5), source="f"):
    return spark.createDataFrame([(source, n, day, t) for n, t in enumerate(texts, 1)], LINES)


def _customer(
    customer_id="C1",
    email=" Ana.Lee@Example.COM ",
    country="germany",
    updated="2026-01-05T10:00:00Z",
    phone="+1 (555) 010-2000",
):
    return json.dumps(
        {
            "customer_id": customer_id,
            "email": email,
            "phone": phone,
            "updated_at": updated,
            "address": {"street": "1 Main St", "city": "berlin", "postal_code": "10115", "country": country},
        }
    )


def test_customers_keep_only_keyed_hashes_of_pii(spark):
    out = accepted(clean_customers(_records(spark, _customer()), KEY)).first()
    assert (out.customer_id, out.city, out.country_code) == ("C1", "Berlin", "DE")
    assert len(out.email_hash) == 64 and "ana" not in out.email_hash
    same_email = accepted(clean_customers(_records(spark, _customer(email="ana.lee@example.com")), KEY)).first()
    assert same_email.email_hash == out.email_hash, "normalized emails hash alike, so analysts can join"
    other_key = accepted(clean_customers(_records(spark, _customer()), "another-key")).first()
    assert other_key.email_hash != out.email_hash
    assert not {"email", "phone", "address"} & set(out.asDict())


def test_customer_mess_gets_reason_codes_and_quarantine_never_sees_pii(spark):
    texts = [
        _customer("C1", email="ana@"),
        _customer("C2", country=""),
        _customer("C3", country="Atlantis"),
        _customer("C4")[:-9],
        _customer("C5", updated="soon"),
        _customer("", email="x@y.com"),
    ]
    out = clean_customers(_records(spark, *texts), KEY)
    reasons = {r.source_line: r.reject_reason for r in out.collect()}
    assert reasons == {
        1: "BAD_EMAIL",
        2: "MISSING_COUNTRY",
        3: "UNKNOWN_COUNTRY",
        4: "NOT_JSON",
        5: "BAD_TIMESTAMP",
        6: "MISSING_ID",
    }
    raw = " ".join(r.raw_record for r in rejected(out).collect())
    assert "ana@" not in raw and "555" not in raw and "<redacted>" in raw


def test_latest_customer_version_wins_by_updated_at(spark):
    older = _records(
        spark, _customer(country="France", updated="2026-01-05T10:00:00Z"), day=dt.date(2026, 1, 6), source="b"
    )
    newer = _records(
        spark, _customer(country="Japan", updated="2026-01-06T10:00:00Z"), day=dt.date(2026, 1, 5), source="a"
    )
    out = clean_customers(older.unionByName(newer), KEY)
    assert {(r.source_file, r.reject_reason, r.country_code) for r in out.collect()} == {
        ("b", SUPERSEDED, "FR"),
        ("a", None, "JP"),
    }


def test_fx_rates_are_typed_and_a_later_correction_wins(spark):
    day1 = _records(
        spark, "rate_date,currency,rate_to_usd", "2026-01-05,eur,1.08", "2026-01-05,GBP,n/a", "2026-01-05,XYZ,2"
    )
    day2 = _records(
        spark, "rate_date,currency,rate_to_usd", "2026-01-05,EUR,1.0812", day=dt.date(2026, 1, 6), source="g"
    )
    out = clean_fx_rates(with_csv_header(day1.unionByName(day2), FX_FILE_COLUMNS))
    reasons = {(r.source_file, r.source_line): r.reject_reason for r in out.collect()}
    assert reasons == {("f", 2): SUPERSEDED, ("f", 3): "BAD_RATE", ("f", 4): "UNKNOWN_CURRENCY", ("g", 2): None}
    assert [r.rate_to_usd for r in accepted(out).collect()] == [Decimal("1.08120000")]


def test_products_are_typed_and_checked(spark):
    def product(sku, cost):
        return json.dumps(
            {"sku": sku, "name": "Lamp", "category": "HOME", "list_price": 20.0, "unit_cost": cost, "active": None}
        )

    out = clean_products(_records(spark, product("S1", 8.5), product(None, 1), product("S3", -1)))
    assert {r.source_line: r.reject_reason for r in out.collect()} == {1: None, 2: "MISSING_ID", 3: "NEGATIVE_PRICE"}
    good = accepted(out).first()
    assert (good.product_sku, good.category, good.unit_cost_usd, good.is_active) == (
        "S1",
        "home",
        Decimal("8.50"),
        True,
    )


def test_a_refund_is_rounded_to_cents_once(spark):
    """1 x 1.00 EUR x 1.00499999 is 1.0049999900 USD: 1.00, not 1.01 (rounded to 6 places
    first, as Spark rounds a product too wide for 38 digits, it would be 1.005000)."""
    orders = spark.createDataFrame(
        [("O1", 1, "S1", "C1", dt.date(2026, 1, 4), 7, Decimal("1.00"), Decimal("1.00499999"))],
        "order_id string, line_no int, product_sku string, customer_id string, order_date date, quantity int,"
        " unit_price decimal(12,2), fx_rate_to_usd decimal(18,8)",
    )
    records = [
        json.dumps({"return_id": rid, "order_id": "O1", "line_no": 1, "quantity": quantity, "reason": "late",
                    "returned_at": "2026-01-06T09:00:00Z"})
        for rid, quantity in (("R1", 1), ("R2", 5), ("R3", 1_000_000))
    ]  # fmt: skip
    out = {
        r.return_id: (r.refund_usd, r.reject_reason) for r in clean_returns(_records(spark, *records), orders).collect()
    }
    assert out["R1"] == (Decimal("1.00"), None)
    assert out["R2"] == (Decimal("5.02"), None)  # 5.02499995
    assert out["R3"][1] == "BAD_QUANTITY"  # too many digits for an exact refund


def test_returns_link_to_order_lines_and_orphans_are_quarantined(spark):
    orders = spark.createDataFrame(
        [("O1", 1, "S1", "C1", dt.date(2026, 1, 4), 3, Decimal("10.01"), Decimal("1.05"))],
        "order_id string, line_no int, product_sku string, customer_id string, order_date date, quantity int,"
        " unit_price decimal(12,2), fx_rate_to_usd decimal(18,8)",
    )

    def ret(rid, order_id, quantity):
        return json.dumps(
            {
                "return_id": rid,
                "order_id": order_id,
                "line_no": 1,
                "quantity": quantity,
                "reason": "Damaged ",
                "returned_at": "2026-01-06T09:00:00Z",
            }
        )

    out = clean_returns(
        _records(spark, ret("R1", "O1", 2), ret("R2", "O9", 1), ret("R3", "O1", 4), ret("R4", "O1", 0)), orders
    )
    assert {r.return_id: r.reject_reason for r in out.collect()} == {
        "R1": None,
        "R2": "ORPHAN_RETURN",
        "R3": "EXCESS_RETURN_QUANTITY",
        "R4": "BAD_QUANTITY",
    }
    good = accepted(out).first()
    # 2 * 10.01 EUR * 1.05 = 21.021 USD -> 21.02
    assert (good.refund_usd, good.customer_id, good.return_reason, good.return_date) == (
        Decimal("21.02"),
        "C1",
        "damaged",
        dt.date(2026, 1, 6),
    )
