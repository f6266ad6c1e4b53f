"""`python -m local run` as a user runs it: a landed file the crawler cannot fold into the
catalog does not stop the lake; the summary says first what needs a look."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from local.runner import cli
from local.sample.generator import GeneratorSettings, generate
from tests.helpers.spark import forget_catalog
from transforms.contracts import PRODUCTS_SOURCE

pytestmark = pytest.mark.slow


def test_a_held_back_schema_change_does_not_stop_the_run_and_is_named_first(spark, tmp_path, capsys):
    root = tmp_path / "lake"
    forget_catalog(spark)
    # Only the product catalog: the run is about the crawler and the summary, not the marts.
    files, _ = generate(GeneratorSettings(orders=10, days=1, seed=5))
    for relative, content in files.items():
        if relative.startswith(PRODUCTS_SOURCE.prefix):
            (root / "bronze" / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / "bronze" / relative).write_bytes(content)
    assert cli.main(["crawl", "--lake", str(root)]) == 0  # the catalog knows products as they were
    products = next((root / "bronze" / PRODUCTS_SOURCE.prefix).rglob("*.parquet"))
    table = pq.read_table(products)
    as_text = table.set_column(
        table.schema.get_field_index("list_price"), "list_price", pc.cast(table["list_price"], pa.string())
    )
    pq.write_table(as_text, products.with_name("products_prices_as_text.parquet"))

    assert cli.main(["crawl", "--lake", str(root)]) == 1  # the crawl alone says it held a change back
    assert cli.main(["run", "--lake", str(root)]) == 0
    output = capsys.readouterr().out
    summary = output[output.index("== Sales Data Lake: run summary ==") :].splitlines()
    assert summary[1].startswith("Files to look at")
    assert any("catalog change held back on product_bronze.products" in line for line in summary[2:4])
    silver_skus = {r.source_file for r in spark.table("product_silver.products").select("source_file").collect()}
    assert any(name.endswith("products_prices_as_text.parquet") for name in silver_skus)
    # The summary ends where the run's report with charts is: records per layer, quarantine
    # by reason, quality, time per step, for this run's jobs.
    report = root / "state" / "site" / "report.html"
    assert summary[-1].endswith(f"with charts: {report}")
    page = report.read_text()
    runs = sorted(p.stem for p in (root / "state" / "runs").glob("*/*.json"))
    assert all(run_id in page for run_id in runs) and len(runs) == 6
    assert page.count('<svg class="chart"') == 4 and "nothing to draw" not in page
    landed = re.search(r"<title>landed \(read\): ([0-9,.]+)</title>", page)
    assert landed and float(landed.group(1).replace(",", "")) == sum(
        json.loads(p.read_text())["ledger"]["products"]["rows_in"]
        for p in (root / "state" / "runs").glob("product_bronze_to_silver/*.json")
    )
