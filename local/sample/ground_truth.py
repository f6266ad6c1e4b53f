"""The gold tables, computed in plain Python with exact decimals from what the generator landed.

Spark divides decimals to 6 places (rounding half-up) before a result is rounded to its own
scale; `ratio` does the same, so the truth equals gold to the last digit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from transforms.contracts import (
    BASE_CURRENCY,
    FREQUENCY_SCORES,
    MONETARY_USD_SCORES,
    RECENCY_DAYS_SCORES,
    RFM_SEGMENTS,
)

CENT = Decimal("0.01")


def quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def ratio(numerator, denominator, places: int) -> Decimal | None:
    if not denominator:
        return None
    return quantize(quantize(Decimal(numerator) / Decimal(denominator), 6), places)


def month_of(day: date) -> date:
    return day.replace(day=1)


def _text(value) -> str | None:
    return None if value is None else str(value)


def _money(value: Decimal | None) -> str | None:
    """Money as gold stores it: two decimal places."""
    return None if value is None else str(quantize(value, 2))


def _score(value, thresholds, at_most: bool = False) -> int:
    for threshold, score in thresholds:
        if (value <= threshold) if at_most else (value >= threshold):
            return score
    return 1


def _segment(recency: int, frequency: int) -> str:
    return next(name for name, r, f in RFM_SEGMENTS if recency >= r and frequency >= f)


def gold_tables(sold: dict, rates: dict, returned: list, catalog: dict, countries: dict) -> dict:
    """`sold`: final accepted order lines by key; `returned`: accepted (key, quantity) returns."""

    def rate(line) -> Decimal:
        return Decimal(1) if line.currency == BASE_CURRENCY else rates[(line.ordered_at.date(), line.currency)]

    usd = {key: quantize(line.quantity * line.unit_price * rate(line), 2) for key, line in sold.items()}
    refunds = [(key, qty, quantize(qty * sold[key].unit_price * rate(sold[key]), 2)) for key, qty in returned]
    order_date = {key: line.ordered_at.date() for key, line in sold.items()}

    return {
        "daily_sales": _daily_sales(sold, usd, refunds, order_date),
        "sales_kpis_monthly": _monthly(sold, usd, refunds, order_date),
        "product_performance": _products(sold, usd, refunds, order_date, catalog),
        "customer_ltv": _customers(sold, usd, refunds, order_date, countries),
    }


def _daily_sales(sold, usd, refunds, order_date) -> list[dict]:
    groups = defaultdict(lambda: {"revenue": Decimal(0), "returns": Decimal(0), "orders": set(), "units": 0})
    for key, line in sold.items():
        g = groups[(order_date[key], line.region, line.channel)]
        g["revenue"] += usd[key]
        g["orders"].add(line.order_id)
        g["units"] += line.quantity
    for key, _, refund in refunds:
        groups[(order_date[key], sold[key].region, sold[key].channel)]["returns"] += refund
    return [
        {
            "order_date": day.isoformat(),
            "region": region,
            "channel": channel,
            "revenue_usd": _money(g["revenue"]),
            "returns_usd": _money(g["returns"]),
            "net_revenue_usd": _money(g["revenue"] - g["returns"]),
            "orders": len(g["orders"]),
            "units": g["units"],
            "avg_order_value_usd": str(ratio(g["revenue"], len(g["orders"]), 2)),
        }
        for (day, region, channel), g in sorted(groups.items())
    ]


def _monthly(sold, usd, refunds, order_date) -> list[dict]:
    first_month: dict[str, date] = {}
    for key, line in sold.items():
        first_month[line.customer_id] = min(first_month.get(line.customer_id, date.max), month_of(order_date[key]))
    groups = defaultdict(
        lambda: {
            "revenue": Decimal(0),
            "refunds": Decimal(0),
            "orders": set(),
            "units": 0,
            "customers": set(),
            "returned": 0,
        }
    )
    for key, line in sold.items():
        g = groups[month_of(order_date[key])]
        g["revenue"] += usd[key]
        g["orders"].add(line.order_id)
        g["units"] += line.quantity
        g["customers"].add(line.customer_id)
    for key, qty, refund in refunds:
        g = groups[month_of(order_date[key])]
        g["returned"] += qty
        g["refunds"] += refund
    rows, previous = [], None
    for month, g in sorted(groups.items()):
        new = sum(1 for c in g["customers"] if first_month[c] == month)
        growth = None if previous is None else ratio(g["revenue"], previous, 4)
        rows.append(
            {
                "month": month.isoformat(),
                "revenue_usd": _money(g["revenue"]),
                "net_revenue_usd": _money(g["revenue"] - g["refunds"]),
                "orders": len(g["orders"]),
                "avg_order_value_usd": str(ratio(g["revenue"], len(g["orders"]), 2)),
                "customers": len(g["customers"]),
                "new_customers": new,
                "returning_customers": len(g["customers"]) - new,
                "units": g["units"],
                "returned_units": g["returned"],
                "return_rate": str(ratio(g["returned"], g["units"], 4)),
                "revenue_mom_growth": _text(None if growth is None else growth - 1),
            }
        )
        previous = g["revenue"]
    return rows


def _products(sold, usd, refunds, order_date, catalog) -> list[dict]:
    groups = defaultdict(lambda: {"units": 0, "revenue": Decimal(0), "returned": 0})
    for key, line in sold.items():
        g = groups[(month_of(order_date[key]), line.product_sku)]
        g["units"] += line.quantity
        g["revenue"] += usd[key]
    for key, qty, _ in refunds:
        groups[(month_of(order_date[key]), sold[key].product_sku)]["returned"] += qty
    rows = []
    for (month, sku), g in sorted(groups.items()):
        product = catalog.get(sku)
        cost = None if product is None else g["units"] * product.unit_cost
        margin = None if cost is None else g["revenue"] - cost
        rows.append(
            {
                "month": month.isoformat(),
                "product_sku": sku,
                "product_name": product.name if product else None,
                "category": product.category if product else None,
                "units": g["units"],
                "revenue_usd": _money(g["revenue"]),
                "returned_units": g["returned"],
                "return_rate": str(ratio(g["returned"], g["units"], 4)),
                "cost_usd": _money(cost),
                "gross_margin_usd": _money(margin),
                "is_negative_margin": margin is not None and margin < 0,
            }
        )
    return rows


def _customers(sold, usd, refunds, order_date, countries) -> list[dict]:
    as_of = max(order_date.values())
    groups = defaultdict(lambda: {"dates": [], "orders": set(), "revenue": Decimal(0)})
    for key, line in sold.items():
        g = groups[line.customer_id]
        g["dates"].append(order_date[key])
        g["orders"].add(line.order_id)
        g["revenue"] += usd[key]
    for key, _, refund in refunds:
        groups[sold[key].customer_id]["revenue"] -= refund
    rows = []
    for customer, g in sorted(groups.items()):
        recency_days = (as_of - max(g["dates"])).days
        r = _score(recency_days, RECENCY_DAYS_SCORES, at_most=True)
        f = _score(len(g["orders"]), FREQUENCY_SCORES)
        rows.append(
            {
                "customer_id": customer,
                "country_code": countries.get(customer),
                "first_order_date": min(g["dates"]).isoformat(),
                "last_order_date": max(g["dates"]).isoformat(),
                "orders": len(g["orders"]),
                "lifetime_revenue_usd": _money(g["revenue"]),
                "recency_days": recency_days,
                "recency_score": r,
                "frequency_score": f,
                "monetary_score": _score(g["revenue"], MONETARY_USD_SCORES),
                "rfm_segment": _segment(r, f),
            }
        )
    return rows
