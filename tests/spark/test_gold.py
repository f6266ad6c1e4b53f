import datetime as dt
from decimal import Decimal

from chispa import assert_df_equality
from pyspark.sql import functions as F

from jobs.gold.marts import Rebuild, Silver, build_product_performance, build_sales_kpis
from transforms.contracts import (
    GOLD_PRODUCT_PERFORMANCE,
    GOLD_SALES_KPIS_MONTHLY,
    SILVER_ORDERS,
    SILVER_PRODUCTS,
    SILVER_RETURNS,
)
from transforms.frames import conform_to_contract
from transforms.gold import customer_ltv, daily_sales, product_performance, sales_kpis_monthly

JAN1, JAN2, FEB3 = dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 2, 3)
ORDER_COLUMNS = (
    "order_id string, line_no int, customer_id string, product_sku string, region string, channel string,"
    " quantity int, unit_price decimal(12,2), fx_rate_to_usd decimal(18,8), line_amount_usd decimal(18,2),"
    " order_date date"
)
RETURN_COLUMNS = (
    "order_id string, line_no int, customer_id string, product_sku string, quantity int,"
    " refund_usd decimal(18,2), order_date date"
)


def _orders(spark):
    rows = [
        ("O1", 1, "C1", "S1", "EMEA", "online", 1, Decimal("10.00"), Decimal(1), Decimal("10.00"), JAN1),
        ("O1", 2, "C1", "S2", "EMEA", "online", 2, Decimal("0.01"), Decimal(1), Decimal("0.01"), JAN1),
        ("O2", 1, "C2", "S1", "EMEA", "online", 1, Decimal("0.00"), Decimal(1), Decimal("0.00"), JAN1),
        ("O3", 1, "C2", "S1", "NA", "store", 4, Decimal("5.00"), Decimal(1), Decimal("20.00"), JAN2),
        ("O4", 1, "C1", "S1", "NA", "store", 3, Decimal("10.00"), Decimal(1), Decimal("30.00"), FEB3),
        ("O5", 1, "C3", "S3", "NA", "store", 1, Decimal("9.00"), Decimal(1), Decimal("9.00"), FEB3),
    ]
    return spark.createDataFrame(rows, ORDER_COLUMNS)


def _returns(spark, *rows):
    rows = rows or [("O3", 1, "C2", "S1", 1, Decimal("5.00"), JAN2)]
    return spark.createDataFrame(rows, RETURN_COLUMNS)


def test_daily_sales_nets_refunds_counts_distinct_orders_and_rounds_half_up(spark):
    expected = spark.createDataFrame(
        [
            ("EMEA", "online", Decimal("10.01"), Decimal("0.00"), Decimal("10.01"), 2, 4, Decimal("5.01"), JAN1),
            ("NA", "store", Decimal("20.00"), Decimal("5.00"), Decimal("15.00"), 1, 4, Decimal("20.00"), JAN2),
            ("NA", "store", Decimal("39.00"), Decimal("0.00"), Decimal("39.00"), 2, 4, Decimal("19.50"), FEB3),
        ],
        "region string, channel string, revenue_usd decimal(18,2), returns_usd decimal(18,2),"
        " net_revenue_usd decimal(18,2), orders long, units long, avg_order_value_usd decimal(18,2), order_date date",
    )
    out = daily_sales(_orders(spark), _returns(spark)).select(*expected.columns)
    assert_df_equality(out, expected, ignore_row_order=True, ignore_nullable=True)


def test_monthly_kpis_split_new_and_returning_customers_and_grow_month_over_month(spark):
    rows = {r.month: r for r in sales_kpis_monthly(_orders(spark), _returns(spark)).collect()}
    jan, feb = rows[JAN1], rows[dt.date(2026, 2, 1)]
    assert (jan.customers, jan.new_customers, jan.returning_customers) == (2, 2, 0)
    assert (feb.customers, feb.new_customers, feb.returning_customers) == (2, 1, 1)  # C1 came back, C3 is new
    assert (jan.units, jan.returned_units, jan.return_rate) == (8, 1, Decimal("0.1250"))
    assert jan.revenue_mom_growth is None
    assert feb.revenue_mom_growth == Decimal("0.2996")  # 39.00 / 30.01 = 1.29956... -> 1.2996 - 1


def test_product_performance_flags_negative_margins_and_keeps_unknown_products(spark):
    products = spark.createDataFrame(
        [("S1", "One", "audio", Decimal("10.00"), Decimal("12.00"), True, "f", 1, JAN1)], SILVER_PRODUCTS.schema
    )
    rows = {
        (r.month, r.product_sku): r for r in product_performance(_orders(spark), _returns(spark), products).collect()
    }
    s1 = rows[(JAN1, "S1")]
    assert (s1.units, s1.revenue_usd, s1.cost_usd, s1.gross_margin_usd) == (
        6,
        Decimal("30.00"),
        Decimal("72.00"),
        Decimal("-42.00"),
    )
    assert s1.is_negative_margin and s1.returned_units == 1 and s1.return_rate == Decimal("0.1667")
    s2 = rows[(JAN1, "S2")]
    assert (s2.product_name, s2.cost_usd, s2.gross_margin_usd, s2.is_negative_margin) == (None, None, None, False)


def test_customer_ltv_scores_recency_frequency_monetary_and_segments(spark):
    customers = spark.createDataFrame([("C1", "DE")], "customer_id string, country_code string")
    rows = {r.customer_id: r for r in customer_ltv(_orders(spark), _returns(spark), customers).collect()}
    c1, c2 = rows["C1"], rows["C2"]
    assert (c1.first_order_date, c1.last_order_date, c1.orders, c1.lifetime_revenue_usd) == (
        JAN1,
        FEB3,
        2,
        Decimal("40.01"),
    )
    assert (c1.country_code, c1.recency_days, c1.recency_score, c1.frequency_score, c1.monetary_score) == (
        "DE",
        0,
        5,
        2,
        1,
    )
    assert c1.rfm_segment == "new"  # recent, but only two orders
    assert (c2.lifetime_revenue_usd, c2.recency_days, c2.recency_score, c2.rfm_segment) == (
        Decimal("15.00"),
        32,
        2,
        "occasional",
    )
    assert rows["C3"].country_code is None


def test_marts_of_an_empty_lake_are_empty(spark):
    orders = spark.createDataFrame([], SILVER_ORDERS.schema)
    returns = spark.createDataFrame([], SILVER_RETURNS.schema)
    assert daily_sales(orders, returns).count() == 0
    assert sales_kpis_monthly(orders, returns).count() == 0


def test_monthly_marts_rebuilt_for_the_changed_months_equal_a_full_rebuild(spark):
    """A late order line on 2 January is the run's only change, so February is kept as
    published: yet C3 is no longer new there (its first order moves to January) while C4 still
    is, and every month is costed at the products' new unit cost."""
    products = spark.createDataFrame(
        [("S1", "One", "audio", Decimal("10.00"), Decimal("12.00"), True, "f", 1, JAN1)], SILVER_PRODUCTS.schema
    )
    dearer = products.withColumn("unit_cost_usd", F.lit(Decimal("13.00")).cast("decimal(12,2)"))

    def order_line(order_id, customer_id, day):
        row = (order_id, 1, customer_id, "S3", "NA", "store", 2, Decimal("4.00"), Decimal(1), Decimal("8.00"), day)
        return spark.createDataFrame([row], ORDER_COLUMNS)

    orders = _orders(spark).unionByName(order_line("O7", "C4", FEB3))  # C4: new in February
    before = Silver({SILVER_ORDERS: orders, SILVER_RETURNS: _returns(spark), SILVER_PRODUCTS: products})
    after = Silver(
        {
            SILVER_ORDERS: orders.unionByName(order_line("O6", "C3", JAN2)),
            SILVER_RETURNS: _returns(spark),
            SILVER_PRODUCTS: dearer,
        }
    )
    in_full, late_day = Rebuild(True), Rebuild(False, (str(JAN2),))
    rebuilt = {}
    for build, table in (
        (build_sales_kpis, GOLD_SALES_KPIS_MONTHLY),
        (build_product_performance, GOLD_PRODUCT_PERFORMANCE),
    ):
        published = conform_to_contract(build(before, in_full, None), table).localCheckpoint()
        rebuilt[table] = conform_to_contract(build(after, late_day, published), table)
        expected = conform_to_contract(build(after, in_full, None), table)
        assert_df_equality(rebuilt[table], expected, ignore_row_order=True, ignore_nullable=True)
    february = rebuilt[GOLD_SALES_KPIS_MONTHLY].where(F.month("month") == 2).first()
    assert (february.customers, february.new_customers, february.returning_customers) == (3, 1, 2)
