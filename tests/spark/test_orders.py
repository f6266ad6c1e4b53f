import datetime as dt
from decimal import Decimal

from chispa import assert_df_equality
from pyspark.sql import functions as F

from tests.helpers.cleaning import clean_orders
from tests.helpers.spark import with_csv_header
from transforms.contracts import ORDER_FILE_COLUMNS
from transforms.frames import SUPERSEDED, accepted, to_quarantine
from transforms.orders import with_reference_flags

HEADER = "order_id,line_no,customer_id,product_sku,order_ts,region,channel,quantity,unit_price,currency"
GOOD = "O1,1,C1,SKU-1,2026-01-05T01:30:00+02:00, emea ,Online,3,12.50,eur"


def _lines(spark, records, ingest=dt.date(2026, 1, 5), source="f1.csv"):
    rows = [(source, n, ingest, text) for n, text in enumerate([HEADER, *records], start=1)]
    return with_csv_header(
        spark.createDataFrame(rows, "source_file string, source_line int, ingest_date date, raw_record string"),
        ORDER_FILE_COLUMNS,
    )


def _rates(spark, *rows):
    """EUR at 1.10 on the days the tests use, unless rows are given."""
    rows = rows or [(dt.date(2026, 1, d), "EUR", Decimal("1.10")) for d in (4, 5, 6)]
    return spark.createDataFrame(rows, "rate_date date, currency string, rate_to_usd decimal(18,8)")


def _clean(spark, lines, *rates):
    return clean_orders(lines, _rates(spark, *rates))


def _reasons(df):
    return {r.source_line: r.reject_reason for r in df.select("source_line", "reject_reason").collect()}


def test_good_line_is_typed_and_standardized(spark):
    out = accepted(_clean(spark, _lines(spark, [GOOD])))
    row = out.select(
        "order_id",
        "line_no",
        "region",
        "channel",
        "currency",
        "quantity",
        "unit_price",
        "line_amount",
        "order_date",
        F.date_format("order_ts", "HH:mm").alias("utc"),
    ).first()
    assert row.asDict() == {
        "order_id": "O1",
        "line_no": 1,
        "region": "EMEA",
        "channel": "online",
        "currency": "EUR",
        "quantity": 3,
        "unit_price": Decimal("12.50"),
        "line_amount": Decimal("37.50"),
        # 01:30 at +02:00 is the previous UTC day: the business date is the UTC date.
        "order_date": dt.date(2026, 1, 4),
        "utc": "23:30",
    }


def test_each_kind_of_mess_gets_its_reason_code(spark):
    records = [
        GOOD,
        ",1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,3,12.50,EUR",
        "O3,,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,3,12.50,EUR",
        "O4,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,two,12.50,EUR",
        "O5,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,0,12.50,EUR",
        "O6,1,C1,SKU-1,2026-13-45 25:61:00,EMEA,online,3,12.50,EUR",
        'O7,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,3,"12,50",EUR',
        "O8,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,3,-12.50,EUR",
        "O9,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,3,12.50,XXX",
        "O10,1,C1,SKU-1,2026-01-05 10:00:00,Mars,online,3,12.50,EUR",
        "O11,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,telepathy,3,12.50,EUR",
        "O12,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,3,12.50,EUR,surplus",
        "O13,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,3",
    ]
    assert _reasons(_clean(spark, _lines(spark, records))) == {
        2: None,
        3: "MISSING_ID",
        4: "MISSING_ID",
        5: "BAD_QUANTITY",
        6: "BAD_QUANTITY",
        7: "BAD_TIMESTAMP",
        8: "BAD_PRICE",
        9: "NEGATIVE_PRICE",
        10: "UNKNOWN_CURRENCY",
        11: "UNKNOWN_REGION",
        12: "UNKNOWN_CHANNEL",
        13: "WRONG_FIELD_COUNT",
        14: "WRONG_FIELD_COUNT",
    }


def test_latest_ingest_wins_and_older_versions_are_superseded(spark):
    day1 = _lines(spark, [GOOD], dt.date(2026, 1, 5), "day1.csv")
    day2 = _lines(spark, [GOOD.replace(",3,12.50,", ",5,12.50,")], dt.date(2026, 1, 6), "day2.csv")
    out = _clean(spark, day1.unionByName(day2))
    outcomes = {(r.source_file, r.reject_reason) for r in out.where("source_line = 2").collect()}
    assert outcomes == {("day1.csv", SUPERSEDED), ("day2.csv", None)}
    assert [r.quantity for r in accepted(out).collect()] == [5]


def test_a_broken_resend_never_shadows_the_good_version(spark):
    day1 = _lines(spark, [GOOD], dt.date(2026, 1, 5), "day1.csv")
    day2 = _lines(spark, [GOOD.replace(",3,12.50,", ",lots,12.50,")], dt.date(2026, 1, 6), "day2.csv")
    out = _clean(spark, day1.unionByName(day2)).where("source_line = 2")
    assert {(r.source_file, r.reject_reason) for r in out.collect()} == {
        ("day1.csv", None),
        ("day2.csv", "BAD_QUANTITY"),
    }


def test_quarantine_rows_keep_reason_key_and_lineage(spark):
    lines = _lines(spark, [GOOD, "O4,2,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,two,12.50,EUR"])
    out = to_quarantine(_clean(spark, lines), "orders", ("order_id", "line_no"))
    expected = spark.createDataFrame(
        [
            (
                "orders",
                "BAD_QUANTITY",
                "O4,2,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,two,12.50,EUR",
                "O4|2",
                "f1.csv",
                3,
                dt.date(2026, 1, 5),
            )
        ],
        "dataset string, reject_reason string, raw_record string, record_key string, source_file string,"
        " source_line int, ingest_date date",
    )
    assert_df_equality(out, expected, ignore_nullable=True)


def test_usd_amounts_round_half_up_and_a_missing_rate_quarantines_the_line(spark):
    records = [
        "O1,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,1,10.01,EUR",  # 10.01 * 1.05 = 10.5105
        "O2,1,C1,SKU-1,2026-01-05 10:00:00,EMEA,online,1,10.01,GBP",  # no GBP rate that day
        "O3,1,C1,SKU-1,2026-01-05 10:00:00,NA,online,2,10.01,USD",  # the base currency needs none
    ]
    out = _clean(spark, _lines(spark, records), (dt.date(2026, 1, 5), "EUR", Decimal("1.05")))
    rows = {r.order_id: (r.reject_reason, r.line_amount_usd) for r in out.collect()}
    assert rows == {"O1": (None, Decimal("10.51")), "O2": ("MISSING_FX_RATE", None), "O3": (None, Decimal("20.02"))}


def test_lines_with_unknown_customer_or_product_are_flagged_not_dropped(spark):
    orders = accepted(_clean(spark, _lines(spark, [GOOD, GOOD.replace("O1,1,C1,SKU-1", "O2,1,C9,SKU-9")])))
    customers = spark.createDataFrame([("C1",)], "customer_id string")
    products = spark.createDataFrame([("SKU-1",), ("SKU-2",)], "product_sku string")
    flags = {
        r.order_id: (r.is_unknown_customer, r.is_unknown_product)
        for r in with_reference_flags(orders, customers, products).collect()
    }
    assert flags == {"O1": (False, False), "O2": (True, True)}
