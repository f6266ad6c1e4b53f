import datetime as dt
from decimal import Decimal

from chispa import assert_df_equality

from transforms.contracts import SILVER_ORDERS
from transforms.gold import daily_sales

D1, D2 = dt.date(2026, 1, 1), dt.date(2026, 1, 2)


def test_daily_sales_counts_distinct_orders_and_rounds_half_up(spark):
    columns = (
        "order_id string, region string, channel string, currency string, quantity int,"
        " line_amount decimal(18,2), order_date date"
    )
    orders = spark.createDataFrame(
        [
            ("O1", "EMEA", "online", "EUR", 1, Decimal("10.00"), D1),
            ("O1", "EMEA", "online", "EUR", 2, Decimal("0.01"), D1),  # same order, second line
            ("O2", "EMEA", "online", "EUR", 1, Decimal("0.00"), D1),  # zero-value order counts
            ("O3", "EMEA", "online", "USD", 4, Decimal("7.00"), D1),  # other currency: own row
            ("O4", "NA", "store", "USD", 1, Decimal("1.00"), D2),
        ],
        columns,
    )
    expected = spark.createDataFrame(
        [
            (D1, "EMEA", "online", "EUR", Decimal("10.01"), 2, 4, Decimal("5.01")),  # 5.005 -> 5.01
            (D1, "EMEA", "online", "USD", Decimal("7.00"), 1, 4, Decimal("7.00")),
            (D2, "NA", "store", "USD", Decimal("1.00"), 1, 1, Decimal("1.00")),
        ],
        "order_date date, region string, channel string, currency string, revenue decimal(18,2),"
        " orders long, units long, avg_order_value decimal(18,2)",
    )
    assert_df_equality(daily_sales(orders), expected, ignore_row_order=True, ignore_nullable=True)


def test_daily_sales_of_no_orders_is_empty(spark):
    empty = spark.createDataFrame([], SILVER_ORDERS.schema)
    assert daily_sales(empty).count() == 0
