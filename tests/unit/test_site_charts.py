"""The catalog site's charts (a mark per value drawn, a tooltip each, words when there is
nothing to draw) and its lineage graph (what a table comes from, feeds, and where its sources'
rejected records went)."""

from __future__ import annotations

import re

from local.site.charts import bar_chart, line_chart
from local.site.facts import connected, layer_of, lineage_edges


def marks(svg: str) -> list[str]:
    return re.findall(r'class="mark"[^>]*><title>([^<]*)</title>', svg)


def test_a_bar_per_value_with_its_label_and_value():
    svg = bar_chart("Net revenue", ["EMEA", "NA"], {"2025": [10.0, -2.5], "2026": [12.0, 3.0]})
    assert marks(svg) == ["EMEA 2025: 10.00", "EMEA 2026: 12.00", "NA 2025: -2.50", "NA 2026: 3.00"]
    assert "<title>Net revenue</title>" in svg and svg.count('class="key"') == 2


def test_stacked_bars_reach_the_columns_total():
    svg = bar_chart("Quarantined", ["run 1"], {"BAD_PRICE": [3.0], "MISSING_ID": [1.0]}, stacked=True)
    heights = [float(h) for h in re.findall(r'class="mark"[^>]*height="([0-9.]+)"', svg)]
    assert len(heights) == 2 and abs(heights[0] - 3 * heights[1]) < 0.2  # 3 records stand three times as tall as 1


def test_a_line_has_a_point_per_value_and_a_gap_where_there_is_none():
    svg = line_chart("Growth", ["2026-01", "2026-02", "2026-03"], {"growth": [None, 5.0, -1.0]})
    assert marks(svg) == ["2026-02 growth: 5.00", "2026-03 growth: -1.00"]


def test_nothing_to_draw_says_so():
    for empty in (bar_chart("Runs", [], {}), line_chart("Growth", ["2026-01"], {"growth": [None]})):
        assert "nothing to draw yet" in empty and "<svg" not in empty


def test_a_gold_tables_lineage_runs_from_bronze_through_silver_and_shows_the_quarantine():
    edges = connected("sales_gold.sales_kpis_monthly", lineage_edges())
    assert ("sales_bronze.orders", "sales_silver.orders") in edges
    assert ("sales_silver.orders", "sales_gold.sales_kpis_monthly") in edges
    assert ("sales_bronze.orders", "sales_quarantine.rejected_records") in edges
    assert ("sales_silver.orders", "product_gold.product_performance") not in edges  # a sibling, not a path
    assert {layer_of(node) for edge in edges for node in edge} == {"bronze", "silver", "quarantine", "gold"}
