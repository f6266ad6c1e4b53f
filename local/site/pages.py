"""The catalog site's pages as HTML text: plain pages, one stylesheet, charts as inline SVG
(local.site.charts), and a few lines of script for the search box only."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

from jobs.runtime.run_record import RunRecord
from local.site import charts
from local.site.facts import PRODUCTS, SOURCE_NAMES, Lake, QueryExample, connected, layer_of, lineage_edges
from transforms.contract_types import TableContract

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #1a202c; background: #f7fafc; }
header { background: #1a365d; color: white; padding: 0.8rem 1.5rem; }
header a { color: white; margin-right: 1.2rem; text-decoration: none; font-weight: 600; }
main { padding: 1rem 1.5rem; max-width: 72rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.8rem; }
table { border-collapse: collapse; margin: 0.5rem 0; background: white; }
th, td { border: 1px solid #cbd5e0; padding: 0.25rem 0.6rem; text-align: left; font-size: 0.9rem; }
th { background: #edf2f7; }
.card { background: white; border: 1px solid #cbd5e0; border-radius: 6px; padding: 0.6rem 0.9rem; margin: 0.5rem 0; }
.badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 9px; font-size: 0.8rem; }
.ok { background: #c6f6d5; } .bad { background: #fed7d7; } .none { background: #e2e8f0; }
.muted { color: #4a5568; font-size: 0.9rem; }
pre { background: #edf2f7; padding: 0.6rem; overflow-x: auto; }
svg.chart, svg.lineage { background: white; border: 1px solid #cbd5e0; display: block; }
figure.chart-box { margin: 0.8rem 0; } figcaption { font-size: 0.8rem; max-width: 640px; }
.key { margin-right: 0.8rem; white-space: nowrap; }
.chart-title { font-weight: 600; font-size: 13px; } .tick, .legend { font-size: 11px; fill: #4a5568; }
.grid { stroke: #e2e8f0; } .node rect { fill: #ebf8ff; stroke: #2b6cb0; } .node.here rect { fill: #feebc8; }
.node text { font-size: 11px; } .edge { stroke: #718096; fill: none; marker-end: url(#arrow); }
#search { font-size: 1rem; padding: 0.4rem; width: 24rem; }
"""

SEARCH_SCRIPT = """
document.getElementById('search').addEventListener('input', function (event) {
  var words = event.target.value.toLowerCase().split(/\\s+/).filter(Boolean);
  document.querySelectorAll('[data-search]').forEach(function (item) {
    var text = item.getAttribute('data-search');
    item.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
  });
});
"""


def page_name(qualified_name: str) -> str:
    return f"tables/{qualified_name}.html"


def _page(title: str, body: str, depth: int = 0, script: str = "") -> str:
    up = "../" * depth
    nav = "".join(
        f'<a href="{up}{href}">{label}</a>'
        for href, label in (
            ("index.html", "Data products"),
            ("business.html", "Business"),
            ("runs.html", "Runs"),
            ("report.html", "Latest run"),
        )
    )
    scripts = f"<script>{script}</script>" if script else ""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} - Sales Data Lake</title>'
        f'<link rel="stylesheet" href="{up}style.css"></head><body><header>{nav}</header>'
        f"<main><h1>{escape(title)}</h1>{body}</main>{scripts}</body></html>"
    )


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], raw: bool = False) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    cells = "".join(
        "<tr>" + "".join(f"<td>{v if raw else escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{cells}</table>"


def _badge(met: bool | None, text: str) -> str:
    kind = "none" if met is None else ("ok" if met else "bad")
    return f'<span class="badge {kind}">{escape(text)}</span>'


def freshness_badge(lake: Lake, table: TableContract) -> str:
    """The product's freshness (else its latency) as last checked against its contract; for a
    product that promises neither, when it was last built."""
    by_property = {row[0]: row for row in lake.service_levels(table.qualified_name)}
    level = by_property.get("freshness") or by_property.get("latency")
    if level is not None:
        prop, agreed, measured, met, _ = level
        return _badge(bool(met), f"{prop} {measured} (agreed {agreed})")
    built = f"built {lake.last_built(table)} UTC" if lake.last_built(table) else "not built yet"
    promise = table.sla("freshness") or table.sla("latency")
    if promise is not None:
        agreed = f"{promise.value} {promise.unit}".strip()
        return _badge(None, f"{promise.property} <= {agreed} promised, not checked by the jobs; {built}")
    return _badge(None, f"{built} (no freshness promise)")


# ---- the index: every product by domain, with search -------------------------------------
def index_page(lake: Lake) -> str:
    parts = ['<p><input id="search" type="search" placeholder="Search tables, columns, owners..." '
             'aria-label="search"></p>']  # fmt: skip
    for domain in sorted({t.domain for t in PRODUCTS}):
        parts.append(f"<h2>{escape(domain)} domain</h2>")
        for table in (t for t in PRODUCTS if t.domain == domain):
            rows = lake.row_count(table)
            words = " ".join([table.qualified_name, table.description, table.owner, *table.column_names]).lower()
            parts.append(
                f'<div class="card" data-search="{escape(words)}">'
                f'<a href="{page_name(table.qualified_name)}"><b>{escape(table.qualified_name)}</b></a> '
                f"{freshness_badge(lake, table)}"
                f'<div class="muted">{escape(table.description)}</div>'
                f'<div class="muted">owner {escape(table.owner)} · v{escape(table.version)} · '
                f"{'not built yet' if rows is None else f'{rows:,} rows'}</div></div>"
            )
    sources = [(s.qualified_name, s.file_format, s.owner) for s in SOURCE_NAMES.values()]
    parts.append("<h2>Landed sources (bronze)</h2>" + _table(("source", "format", "owner"), sources))
    return _page("Data products", "".join(parts), script=SEARCH_SCRIPT)


# ---- a table's page -----------------------------------------------------------------------
def lineage_svg(name: str, depth: int) -> str:
    """The tables `name` comes from and feeds, in layers left to right, each product a link."""
    edges = connected(name, lineage_edges())
    nodes = list(dict.fromkeys([name] + [n for edge in edges for n in edge]))
    columns = ["bronze", "silver", "quarantine", "gold"]
    placed: dict[str, tuple[float, float]] = {}
    for x, layer in enumerate(columns):
        for y, node in enumerate(n for n in nodes if layer_of(n) == layer):
            placed[node] = (10 + x * 190, 20 + y * 40)
    height = 40 + 40 * max([sum(layer_of(n) == c for n in nodes) for c in columns] + [1])
    parts = [
        f'<svg class="lineage" role="img" viewBox="0 0 780 {height}" width="780" height="{height}">'
        f"<title>Lineage of {escape(name)}</title>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#718096"/></marker></defs>'
    ]
    for a, b in edges:
        (x1, y1), (x2, y2) = placed[a], placed[b]
        parts.append(f'<path class="edge" d="M{x1 + 170},{y1 + 13} L{x2},{y2 + 13}"/>')
    products = {t.qualified_name for t in PRODUCTS}
    for node, (x, y) in placed.items():
        box = (
            f'<g class="node{" here" if node == name else ""}"><rect x="{x}" y="{y}" width="170" height="26" rx="4"/>'
            f'<text x="{x + 6}" y="{y + 17}">{escape(node)}</text></g>'
        )
        link = node in products and node != name
        parts.append(f'<a href="{"../" * depth}{page_name(node)}">{box}</a>' if link else box)
    return "".join(parts) + "</svg>"


def _example_html(example: QueryExample) -> str:
    head = f"<h3>{escape(example.name)}</h3><p class='muted'>{escape(example.description)}</p>"
    sql = f"<pre>{escape(example.athena_sql.strip())}</pre>"
    if example.error:
        return head + sql + f"<p class='bad'>Did not run here: {escape(example.error)}</p>"
    return head + sql + f"<p class='muted'>First {len(example.rows)} rows:</p>" + _table(example.columns, example.rows)


def table_page(lake: Lake, table: TableContract, examples: list[QueryExample]) -> str:
    name = table.qualified_name
    rows = lake.row_count(table)
    facts = [
        ("domain", table.domain), ("layer", table.layer), ("owner and support", table.owner),
        ("version", table.version), ("status", table.status),
        ("rows", "not built yet" if rows is None else f"{rows:,}"),
        ("partitioned by", ", ".join(table.partition_by) or "not partitioned"),
        ("newest partition", lake.newest(table) or "-"),
        ("built from", ", ".join(table.inputs) or "its landed source"),
        ("read by", ", ".join(table.readers) or "its own domain"),
    ]  # fmt: skip
    body = [f"<p>{escape(table.description)}</p><p>{freshness_badge(lake, table)}</p>", _table(("", ""), facts)]
    columns = [
        (
            n,
            t.simpleString(),
            "yes" if nullable else "no",
            table.column_docs.get(n, ""),
            table.classification.get(n, "public"),
        )
        for n, t, nullable in table.columns
    ]
    body += ["<h2>Schema</h2>", _table(("column", "type", "nullable", "description", "classification"), columns)]
    levels = lake.service_levels(name)
    body.append("<h2>Freshness and service levels</h2>")
    body.append(
        _table(
            ("property", "agreed", "measured", "state", "checked at"),
            [(p, escape(a), escape(m), _badge(bool(met), "met" if met else "BREACHED"), escape(str(at)[:19]))
             for p, a, m, met, at in levels],
            raw=True,
        ) if levels else "<p class='muted'>No run has checked it yet.</p>"
    )  # fmt: skip
    quality = lake.quality_history(table)
    body.append("<h2>Quality over time</h2>")
    body.append(
        charts.bar_chart(
            f"Expectation suite {name}: passed (1) or failed (-1) per run",
            [at for at, _ in quality],
            {"verdict": [1.0 if passed else -1.0 for _, passed in quality]},
        )
    )
    if table.layer == "silver":
        history = lake.quarantine_history(table)
        reasons = sorted({r for _, by_reason in history for r in by_reason})
        body.append("<h2>Quarantine by reason over time</h2>")
        body.append(
            charts.bar_chart(
                "Records quarantined per run, by reason",
                [at for at, _ in history],
                {r: [by_reason.get(r, 0.0) for _, by_reason in history] for r in reasons},
                stacked=True,
            )
        )
    if name in KPI_CHARTS:
        body += ["<h2>At a glance</h2>", kpi_charts(lake, name)]
    body += ["<h2>Lineage</h2>", lineage_svg(name, depth=1)]
    mine = [e for e in examples if name in e.tables]
    if mine:
        body.append(
            f"<h2>Example queries</h2><p class='muted'>Run here on {escape(str(lake.today()))} (Athena SQL).</p>"
        )
        body += [_example_html(e) for e in mine]
    return _page(name, "".join(body), depth=1)


# ---- runs: time per step and cost per run ---------------------------------------------------
def runs_page(lake: Lake, latest: int = 24) -> str:
    runs = lake.runs()[-latest:]
    labels = [f"{str(at)[5:16]} {job}" for _, job, _, at, *_ in runs]
    steps = {run_id: lake.steps(run_id) for run_id, *_ in runs}
    names = list(dict.fromkeys(step for by_step in steps.values() for step in by_step))
    body = [
        charts.bar_chart(
            "Seconds per run, by step",
            labels,
            {s: [steps[r[0]].get(s, 0.0) for r in runs] for s in names},
            stacked=True,
        ),
        charts.bar_chart("Estimated cost per run on Glue (USD)", labels, {"USD": [float(r[5] or 0) for r in runs]}),
        "<h2>Runs</h2>",
        _table(
            ("run", "job", "status", "started", "seconds", "estimated USD", "records in", "quarantined"),
            [(r[0], r[1], r[2], str(r[3])[:19], r[4], r[5], r[6], r[7]) for r in reversed(runs)],
        ),
    ]
    return _page("Runs", "".join(body))


# ---- the report of one run of the pipeline (`make run-local`) --------------------------------
def run_report_page(lake: Lake, records: Sequence[RunRecord]) -> str:
    """Records per layer, quarantine by reason, quality results, service levels and time per
    step of one pipeline run (its jobs' run records)."""
    ledgers = [ledger for record in records for ledger in record.ledger.values()]
    gold = sum(lake.row_count(t) or 0 for t in PRODUCTS if t.layer == "gold")
    layers = {
        "landed (read)": sum(ledger.rows_in for ledger in ledgers),
        "to silver": sum(ledger.rows_silver for ledger in ledgers),
        "quarantined": sum(ledger.rows_quarantined for ledger in ledgers),
        "gold rows (all)": gold,
    }
    reasons: dict[str, int] = {}
    for ledger in ledgers:
        for reason, n in ledger.quarantined_by_reason.items():
            reasons[reason] = reasons.get(reason, 0) + n
    verdicts = [(suite, v) for record in records for suite, v in record.quality.items()]
    levels = [level for record in records for level in record.sla]
    steps = list(dict.fromkeys(step for record in records for step in record.steps))
    passed = [float(v.evaluated - len(v.failed)) for _, v in verdicts]
    failed = [float(len(v.failed)) for _, v in verdicts]
    sla_rows = [
        (escape(level.product), escape(level.property), escape(level.agreed), escape(level.measured),
         _badge(level.met, "met" if level.met else "BREACHED"))
        for level in levels
    ]  # fmt: skip
    suite_rows = [
        (
            escape(suite),
            _badge(v.success, "passed" if v.success else "FAILED"),
            v.evaluated,
            escape("; ".join(v.failed)),
        )
        for suite, v in verdicts
    ]
    by_reason = sorted(reasons)
    body = [
        f"<p class='muted'>Runs {escape(', '.join(r.run_id for r in records))}.</p>",
        charts.bar_chart("Records per layer", list(layers), {"records": [float(v) for v in layers.values()]}),
        charts.bar_chart(
            "Records quarantined, by reason", by_reason, {"records": [float(reasons[r]) for r in by_reason]}
        ),
        charts.bar_chart(
            "Expectations per quality suite",
            [s for s, _ in verdicts],
            {"passed": passed, "failed": failed},
            stacked=True,
        ),
        charts.bar_chart(
            "Seconds per job, by step",
            [record.job for record in records],
            {step: [record.steps.get(step, 0.0) for record in records] for step in steps},
            stacked=True,
        ),
        "<h2>Service levels</h2>",
        _table(("product", "property", "agreed", "measured", "state"), sla_rows, raw=True),
        "<h2>Quality suites</h2>",
        _table(("suite", "verdict", "expectations", "failed (with offending keys)"), suite_rows, raw=True),
    ]
    return _page("The latest run", "".join(body))


# ---- the business page: headline KPIs from gold ---------------------------------------------
def _values(rows: list[tuple[Any, ...]], column: int = 1) -> list[float]:
    return [float(row[column]) for row in rows]


def revenue_by(lake: Lake, by: str) -> str:
    rows = lake.rows(f"SELECT {by}, sum(net_revenue_usd) FROM sales_gold.daily_sales GROUP BY 1 ORDER BY 1")
    return charts.bar_chart(f"Net revenue by {by} (USD)", [r[0] for r in rows], {"net revenue": _values(rows)})


def _months(lake: Lake) -> list[tuple[Any, ...]]:
    return lake.rows(
        "SELECT strftime(month, '%Y-%m'), net_revenue_usd, revenue_mom_growth "
        "FROM sales_gold.sales_kpis_monthly ORDER BY month"
    )


def revenue_by_month(lake: Lake) -> str:
    rows = _months(lake)
    return charts.line_chart("Net revenue by month (USD)", [r[0] for r in rows], {"net revenue": _values(rows)})


def growth_by_month(lake: Lake) -> str:
    grown = [(r[0], 100 * float(r[2])) for r in _months(lake) if r[2] is not None]  # the first month has none
    return charts.bar_chart(
        "Month-over-month revenue growth (%)", [m for m, _ in grown], {"growth": [g for _, g in grown]}
    )


def top_products(lake: Lake) -> str:
    rows = lake.rows(  # an order line of a product not in the catalog (yet) has no name
        "SELECT coalesce(any_value(product_name), product_sku || ' (unknown)'), sum(revenue_usd) AS revenue "
        "FROM product_gold.product_performance GROUP BY product_sku ORDER BY revenue DESC LIMIT 10"
    )
    return charts.bar_chart("Top 10 products by revenue (USD)", [r[0] for r in rows], {"revenue": _values(rows)})


def customers_by_segment(lake: Lake) -> str:
    rows = lake.rows("SELECT rfm_segment, count(*) FROM customer_gold.customer_ltv GROUP BY 1 ORDER BY 1")
    title = "Customers by segment (at_risk: used to order often, not lately)"
    return charts.bar_chart(title, [r[0] for r in rows], {"customers": _values(rows)})


def customers_at_risk(lake: Lake) -> str:
    rows = lake.rows(
        "SELECT customer_id, lifetime_revenue_usd, last_order_date FROM customer_gold.customer_ltv "
        "WHERE rfm_segment = 'at_risk' ORDER BY lifetime_revenue_usd DESC LIMIT 10"
    )
    table = _table(("customer", "lifetime revenue (USD)", "last order"), rows) if rows else "<p>None at the moment.</p>"
    return "<h2>Customers at risk, most valuable first</h2>" + table


# Each gold table's headline charts: on the business page, and on the table's own page.
KPI_CHARTS: dict[str, tuple[Callable[[Lake], str], ...]] = {
    "sales_gold.daily_sales": (lambda lake: revenue_by(lake, "region"), lambda lake: revenue_by(lake, "channel")),
    "sales_gold.sales_kpis_monthly": (revenue_by_month, growth_by_month),
    "product_gold.product_performance": (top_products,),
    "customer_gold.customer_ltv": (customers_by_segment, customers_at_risk),
}


def kpi_charts(lake: Lake, table: str) -> str:
    return "".join(chart(lake) for chart in KPI_CHARTS.get(table, ())) if lake.has(table) else ""


def business_page(lake: Lake) -> str:
    body = "".join(kpi_charts(lake, table) for table in KPI_CHARTS)
    return _page("Business KPIs", body or "<p>Gold has not been built yet: run <code>make run-local</code>.</p>")
