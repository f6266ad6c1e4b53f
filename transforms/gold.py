"""Gold marts: business-ready aggregates over silver, all money in USD."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import DecimalType

from transforms.columns import first_matching_code, score_by_thresholds
from transforms.contracts import (
    FREQUENCY_SCORES,
    MONETARY_USD_SCORES,
    MONEY,
    RATIO,
    RECENCY_DAYS_SCORES,
    RFM_SEGMENTS,
)

EXACT = DecimalType(38, 10)

# The silver columns the marts read of the order lines and returns (the job reads only these).
ORDER_COLUMNS = (
    "order_id",
    "line_no",
    "customer_id",
    "product_sku",
    "order_date",
    "region",
    "channel",
    "quantity",
    "line_amount_usd",
)
RETURN_COLUMNS = ("order_id", "line_no", "customer_id", "product_sku", "order_date", "quantity", "refund_usd")


def safe_ratio(numerator: Column, denominator: Column, scale: int = 2) -> Column:
    """numerator / denominator in decimal arithmetic, rounded half-up; null when dividing by 0."""
    return F.when(denominator != 0, F.round(numerator.cast(EXACT) / denominator.cast(EXACT), scale))


def with_month(df: DataFrame, date_column: str = "order_date") -> DataFrame:
    """`month`: the first day of the month of `date_column`."""
    return df.withColumn("month", F.trunc(date_column, "month"))


def _zero_if_null(*names: str) -> dict[str, Column]:
    return {n: F.coalesce(F.col(n), F.lit(0)) for n in names}


def daily_sales(orders: DataFrame, returns: DataFrame) -> DataFrame:
    """Per order date, region and channel: revenue, refunds of those orders, net, orders, units, AOV."""
    keys = ["order_date", "region", "channel"]
    sales = orders.groupBy(*keys).agg(
        F.sum("line_amount_usd").alias("revenue_usd"),
        F.count_distinct("order_id").alias("orders"),
        F.sum("quantity").cast("long").alias("units"),
    )
    where_sold = orders.select("order_id", "line_no", "region", "channel")
    # Returns are a few percent of the lines: sent to every task rather than shuffling all lines.
    returned = F.broadcast(returns.select("order_id", "line_no", "order_date", "refund_usd"))
    refunds = (
        where_sold.join(returned, ["order_id", "line_no"]).groupBy(*keys).agg(F.sum("refund_usd").alias("returns_usd"))
    )
    return (
        sales.join(refunds, keys, "left")
        .withColumns(_zero_if_null("returns_usd"))
        .withColumns(
            {
                "revenue_usd": F.col("revenue_usd").cast(MONEY),
                "returns_usd": F.col("returns_usd").cast(MONEY),
                "net_revenue_usd": (F.col("revenue_usd") - F.col("returns_usd")).cast(MONEY),
                "avg_order_value_usd": safe_ratio(F.col("revenue_usd"), F.col("orders")).cast(MONEY),
            }
        )
    )


def _returns_by(returns: DataFrame, *keys: str) -> DataFrame:
    """Returned units and refunds, attributed to the month the returned line was ordered."""
    return (
        returns.transform(with_month)
        .groupBy(*keys)
        .agg(F.sum("quantity").cast("long").alias("returned_units"), F.sum("refund_usd").alias("refunds_usd"))
    )


# A month's own sales: what its order lines and the returns of them give, nothing else. The
# monthly marts keep these for the months a run does not touch (jobs.gold.marts).
MONTHLY_SALES_COLUMNS = ("month", "revenue_usd", "refunds_usd", "orders", "customers", "units", "returned_units")
PRODUCT_SALES_COLUMNS = ("month", "product_sku", "units", "revenue_usd", "returned_units")


def monthly_sales(orders: DataFrame, returns: DataFrame) -> DataFrame:
    """Per month (`MONTHLY_SALES_COLUMNS`): revenue, refunds, orders, customers, units, returned units."""
    lines = orders.transform(with_month)
    # One distinct count per aggregation: with several in one, Spark copies every line once per
    # distinct count (about twice as slow here).
    totals = lines.groupBy("month").agg(
        F.sum("line_amount_usd").alias("revenue_usd"), F.sum("quantity").cast("long").alias("units")
    )
    order_counts = lines.select("month", "order_id").distinct().groupBy("month").agg(F.count("*").alias("orders"))
    customer_counts = (
        lines.where(F.col("customer_id").isNotNull())
        .select("month", "customer_id")
        .distinct()
        .groupBy("month")
        .agg(F.count("*").alias("customers"))
    )
    return (
        totals.join(order_counts, "month")
        .join(customer_counts, "month")
        .join(_returns_by(returns, "month"), "month", "left")
        .withColumns(_zero_if_null("returned_units", "refunds_usd"))
        .withColumns({"revenue_usd": F.col("revenue_usd").cast(MONEY), "refunds_usd": F.col("refunds_usd").cast(MONEY)})
        .select(*MONTHLY_SALES_COLUMNS)
    )


def monthly_sales_published(kpis: DataFrame) -> DataFrame:
    """The monthly sales a published `sales_kpis_monthly` was derived from (refunds are its
    revenue less its net revenue, both exact in cents)."""
    refunds = (F.col("revenue_usd") - F.col("net_revenue_usd")).cast(MONEY).alias("refunds_usd")
    return kpis.select(*(refunds if name == "refunds_usd" else F.col(name) for name in MONTHLY_SALES_COLUMNS))


def new_customers_by_month(orders: DataFrame) -> DataFrame:
    """Per month, the customers whose first order is in it (every customer's whole history)."""
    customers = orders.where(F.col("customer_id").isNotNull()).groupBy("customer_id")
    first_orders = customers.agg(F.min("order_date").alias("first_order_date"))
    month = F.trunc("first_order_date", "month").alias("month")
    return first_orders.groupBy(month).agg(F.count("*").alias("new_customers"))


def sales_kpis_monthly(orders: DataFrame, returns: DataFrame) -> DataFrame:
    """Monthly revenue, orders, AOV, new vs returning customers, return rate and growth."""
    return sales_kpis_from(monthly_sales(orders, returns), new_customers_by_month(orders))


def sales_kpis_from(monthly: DataFrame, new_customers: DataFrame) -> DataFrame:
    """The monthly KPIs of every month's sales (`monthly_sales`) and new customers."""
    previous_revenue = F.lag("revenue_usd").over(Window.orderBy("month"))
    return (
        monthly.join(new_customers, "month", "left")
        .withColumns(_zero_if_null("new_customers"))
        .withColumns(
            {
                "net_revenue_usd": (F.col("revenue_usd") - F.col("refunds_usd")).cast(MONEY),
                "avg_order_value_usd": safe_ratio(F.col("revenue_usd"), F.col("orders")).cast(MONEY),
                "returning_customers": F.col("customers") - F.col("new_customers"),
                "return_rate": safe_ratio(F.col("returned_units"), F.col("units"), 4).cast(RATIO),
                "revenue_mom_growth": (safe_ratio(F.col("revenue_usd"), previous_revenue, 4) - 1).cast(RATIO),
            }
        )
    )


def product_sales(orders: DataFrame, returns: DataFrame) -> DataFrame:
    """Per month and product (`PRODUCT_SALES_COLUMNS`): units, revenue and returned units."""
    keys = ["month", "product_sku"]
    sales = (
        orders.transform(with_month)
        .groupBy(*keys)
        .agg(F.sum("quantity").cast("long").alias("units"), F.sum("line_amount_usd").alias("revenue_usd"))
    )
    return (
        sales.join(_returns_by(returns, *keys), keys, "left")
        .withColumns(_zero_if_null("returned_units"))
        .withColumn("revenue_usd", F.col("revenue_usd").cast(MONEY))
        .select(*PRODUCT_SALES_COLUMNS)
    )


def product_sales_published(performance: DataFrame) -> DataFrame:
    """The product sales a published `product_performance` was derived from."""
    return performance.select(*PRODUCT_SALES_COLUMNS)


def product_performance(orders: DataFrame, returns: DataFrame, products: DataFrame) -> DataFrame:
    """Per product and month: units, revenue, returns, cost and gross margin; negative margins flagged."""
    return product_performance_from(product_sales(orders, returns), products)


def product_performance_from(sales: DataFrame, products: DataFrame) -> DataFrame:
    """Product performance of every month's product sales (`product_sales`), costed at the
    products' current unit cost."""
    catalog = F.broadcast(products.select("product_sku", "product_name", "category", "unit_cost_usd"))
    margin = F.col("revenue_usd") - F.col("cost_usd")
    return (
        sales.join(catalog, "product_sku", "left")
        .withColumns(
            {
                "cost_usd": (F.col("units") * F.col("unit_cost_usd")).cast(MONEY),
                "return_rate": safe_ratio(F.col("returned_units"), F.col("units"), 4).cast(RATIO),
            }
        )
        .withColumns(
            {"gross_margin_usd": margin.cast(MONEY), "is_negative_margin": F.coalesce(margin < 0, F.lit(False))}
        )
    )


def rfm_segment(recency_score: Column, frequency_score: Column) -> Column:
    rules = [(name, (recency_score >= r) & (frequency_score >= f)) for name, r, f in RFM_SEGMENTS]
    return first_matching_code(rules)


def customer_ltv(orders: DataFrame, returns: DataFrame, customers: DataFrame) -> DataFrame:
    """Per customer: first and last order, orders, lifetime net revenue, RFM scores and segment."""
    as_of = orders.agg(F.max("order_date").alias("as_of"))
    per_customer = orders.groupBy("customer_id").agg(
        F.min("order_date").alias("first_order_date"),
        F.max("order_date").alias("last_order_date"),
        F.count_distinct("order_id").alias("orders"),
        F.sum("line_amount_usd").alias("revenue_usd"),
    )
    refunds = returns.groupBy("customer_id").agg(F.sum("refund_usd").alias("refunds_usd"))
    countries = F.broadcast(customers.select("customer_id", "country_code"))
    scored = (
        per_customer.join(refunds, "customer_id", "left")
        .join(countries, "customer_id", "left")
        .crossJoin(F.broadcast(as_of))
        .withColumns(_zero_if_null("refunds_usd"))
        .withColumns(
            {
                "lifetime_revenue_usd": (F.col("revenue_usd") - F.col("refunds_usd")).cast(MONEY),
                "recency_days": F.datediff("as_of", "last_order_date"),
            }
        )
        .withColumns(
            {
                "recency_score": score_by_thresholds(F.col("recency_days"), RECENCY_DAYS_SCORES, at_most=True),
                "frequency_score": score_by_thresholds(F.col("orders"), FREQUENCY_SCORES),
                "monetary_score": score_by_thresholds(F.col("lifetime_revenue_usd"), MONETARY_USD_SCORES),
            }
        )
    )
    return scored.withColumn("rfm_segment", rfm_segment(F.col("recency_score"), F.col("frequency_score")))
