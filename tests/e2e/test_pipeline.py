"""End to end on tiny generated data: every gold table equals the generator's ground truth,
every kind of mess is quarantined with its reason, PII never reaches silver or gold in clear
text, and no record is lost."""

import datetime as dt
import json
import re
import signal
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from html import escape
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import duckdb
import pytest
from playwright.sync_api import Page, sync_playwright

from bench.compare import compare_gold, outcome_differences
from bench.duckdb_pipeline import GOLD as TWIN_GOLD
from bench.duckdb_pipeline import run as run_twin
from bench.engines import export_gold
from jobs.runtime.config import LOCAL_PII_HASH_KEY
from jobs.runtime.failpoints import ENV_VARIABLE
from jobs.runtime.run_history import job_runs_table, run_figures_table
from jobs.runtime.run_record import RunRecord
from local.catalog.athena_sql import athena_to_spark
from local.catalog.duckdb_views import lake_tables, write_views
from local.cluster.standalone import cluster_environment, launch_cluster
from local.runner import cli
from local.runner.pipeline import run_pipeline
from local.sample.generator import write_sample_lake
from local.site.build import build_site
from local.site.facts import PRODUCTS
from local.site.pages import page_name
from tests.helpers.gold_truth import gold_differences, plain_value
from tests.helpers.sample_lakes import SETTINGS, records_in_file
from tests.helpers.site import CHROMIUM_FLAGS, chromium_path, local_links
from tests.helpers.spark import forget_catalog
from transforms.contracts import (
    ALL_TABLES,
    DOMAINS,
    GOLD_DAILY_SALES,
    GOLD_SALES_KPIS_MONTHLY,
    GOLD_TABLES,
    QUARANTINE_TABLES,
    SILVER_TABLES,
    SLA_HISTORY_TABLES,
    SOURCES,
)

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "site"  # a screenshot of each page kind, kept after the run


@pytest.fixture(scope="module")
def built_lake(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e") / "lake"
    forget_catalog(spark)
    truth = write_sample_lake(root / "bronze", root / "ground_truth", SETTINGS)
    run = run_pipeline(spark, ["--lake_root", str(root)], {})
    return root, truth, run


@pytest.mark.parametrize("table", GOLD_TABLES, ids=lambda t: t.qualified_name)
def test_gold_table_equals_ground_truth(spark, built_lake, table):
    _, truth, _ = built_lake
    assert gold_differences(spark.table(table.qualified_name).collect(), truth[table.name], table) == []


def _quarantined(spark):
    rows = []
    for table in QUARANTINE_TABLES.values():
        rows += spark.table(table.qualified_name).select("source_file", "source_line", "reject_reason").collect()
    return rows


def test_every_kind_of_mess_is_quarantined_with_its_reason(spark, built_lake):
    _, truth, _ = built_lake
    expected = {(path, line): reason for path, line, reason in truth["record_outcomes"] if reason is not None}
    actual = {(r.source_file, r.source_line): r.reject_reason for r in _quarantined(spark)}
    assert actual == expected
    assert {
        "MISSING_FX_RATE",
        "BAD_EMAIL",
        "MISSING_COUNTRY",
        "ORPHAN_RETURN",
        "NEGATIVE_PRICE",
        "BAD_RATE",
        "WRONG_FIELD_COUNT",
        "DUPLICATE_SUPERSEDED",
    } <= set(actual.values())


def test_accepted_records_are_exactly_the_silver_rows(spark, built_lake):
    _, truth, _ = built_lake
    expected = Counter((path, line) for path, line, reason in truth["record_outcomes"] if reason is None)
    actual = Counter()
    for table in SILVER_TABLES:
        actual.update((r.source_file, r.source_line) for r in spark.table(table.qualified_name).collect())
    assert actual == expected


def test_rows_in_equals_silver_plus_quarantined_per_file(spark, built_lake):
    root, _, run = built_lake
    landed = {str(p.relative_to(root / "bronze")): records_in_file(p) for p in (root / "bronze").rglob("*.*")}
    kept = Counter(r.source_file for r in _quarantined(spark))
    for table in SILVER_TABLES:
        kept.update(r.source_file for r in spark.table(table.qualified_name).select("source_file").collect())
    assert dict(kept) == landed
    ledgers = [ledger for record in run.records_of("bronze_to_silver") for ledger in record.ledger.values()]
    assert sum(ledger.rows_in for ledger in ledgers) == sum(landed.values())


def test_no_pii_in_clear_text_in_silver_or_gold(spark, built_lake):
    _, truth, _ = built_lake
    pii = {v.strip().lower() for v in truth["pii_values"]}
    for table in SILVER_TABLES + GOLD_TABLES:
        for row in spark.table(table.qualified_name).collect():
            for value in row:
                assert not (isinstance(value, str) and value.strip().lower() in pii), (table.qualified_name, value)


def test_the_benchmarks_duckdb_twin_agrees_with_the_spark_jobs(spark, built_lake, tmp_path):
    """`make bench` times the same rules written in DuckDB SQL: on this sample (every kind of
    mess) the twin puts each dataset's records where the jobs do and builds the same gold."""
    root, _, run = built_lake
    export_gold(spark, tmp_path / "spark-gold")
    twin = run_twin(root / "bronze", tmp_path / "duckdb-lake", LOCAL_PII_HASH_KEY, threads=1)
    for relation, table in TWIN_GOLD.items():
        (tmp_path / "duckdb-gold" / table.qualified_name).mkdir(parents=True)
        twin.sql(f"COPY {relation} TO '{tmp_path}/duckdb-gold/{table.qualified_name}/part-0.parquet' (FORMAT parquet)")
    agreement = compare_gold(tmp_path / "spark-gold", tmp_path / "duckdb-gold")
    assert [a.table for a in agreement if not a.agrees] == [] and all(a.rows[0] > 0 for a in agreement), agreement
    ledgers = {
        dataset: ledger for record in run.records_of("bronze_to_silver") for dataset, ledger in record.ledger.items()
    }
    spark_outcomes = {dataset: ledger.outcomes for dataset, ledger in ledgers.items()}
    assert outcome_differences(spark_outcomes, twin.outcomes()) == []
    assert twin.outcomes()["orders"]["WRONG_FIELD_COUNT"] > 0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A Spark standalone master and two workers on 127.0.0.1, starting (see `wait_until_up`);
    stopped after the module."""
    running = launch_cluster(tmp_path_factory.mktemp("cluster"), workers=2, cores_per_worker=1, worker_memory="1g")
    yield running
    running.stop()


def gold_fingerprints(table) -> str:
    """One row per gold table: its name, row count and an order-free hash of all its rows."""
    return (
        f"SELECT '{table.qualified_name}' AS t, count(*) AS n, "
        f"sum(CAST(xxhash64(*) AS DECIMAL(38, 0))) AS fingerprint FROM {table.qualified_name}"
    )


def test_run_local_on_a_two_worker_cluster_killed_then_rerun_equals_the_local_mode_run(
    spark, built_lake, cluster, tmp_path
):
    """`make run-local`'s command, in its own process, builds the module's sample lake but is
    killed (SIGKILL) after the first domain's silver is written and before its bookmark commit:
    the lock file stays behind and no bookmark exists. The rerun, pointed at a standalone cluster (tasks in executors
    on two workers), takes the lock over, reads the same files again and ends with the gold the
    in-process local-mode run built; a new process then finds every table by name."""
    lake = tmp_path / "lake"
    common = [sys.executable, "-m", "local"]
    generated = ["--orders", str(SETTINGS.orders), "--days", str(SETTINGS.days), "--seed", str(SETTINGS.seed)]
    run_command = [
        *common, "run", "--lake", str(lake), *generated, "--start", SETTINGS.start.isoformat(), "--driver-memory", "1g",
    ]  # fmt: skip
    killed = subprocess.run(
        [*run_command, "--master", "local[2]"],  # a lake begun in local mode goes on on the cluster
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**cluster_environment(), ENV_VARIABLE: "customer_bronze_to_silver:before bookmark commit"},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert (lake / "state" / "locks" / "customer_bronze_to_silver.lock").exists()
    assert not (lake / "state" / "bookmarks" / "customer_bronze_to_silver" / "current.json").exists()

    cluster.wait_until_up()  # its JVMs started while the first run ran
    on_cluster = [*run_command, "--master", cluster.master_url]
    run = subprocess.run(on_cluster, cwd=REPO, capture_output=True, text=True, timeout=600, env=cluster_environment())
    assert run.returncode == 0, run.stderr[-3000:]
    assert "taking over the lock" in run.stderr
    assert "rows_in == rows_silver + rows_quarantined" in run.stdout and "customer_gold.customer_ltv" in run.stdout
    assert "Crawler: 5 dataset(s)" in run.stdout and "sales_bronze.orders" in run.stdout
    truth = json.loads((lake / "ground_truth" / "ground_truth.json").read_text())
    killed_run, rerun = [  # run ids start with their UTC time: the killed run's record first
        RunRecord.from_json(json.loads(path.read_text()))
        for path in sorted((lake / "state" / "runs" / "customer_bronze_to_silver").glob("*.json"))
    ]
    assert rerun.status == "succeeded" and rerun.inputs == killed_run.inputs  # the same files, read again
    ledgers = [rerun.ledger] + [  # the other domains ran only in the rerun
        RunRecord.from_json(json.loads(path.read_text())).ledger
        for domain in ("product", "sales")
        for path in (lake / "state" / "runs" / f"{domain}_bronze_to_silver").glob("*.json")
    ]
    assert len(ledgers) == 3
    to_silver = sum(ledger.rows_silver for by_dataset in ledgers for ledger in by_dataset.values())
    quarantined = sum(ledger.rows_quarantined for by_dataset in ledgers for ledger in by_dataset.values())
    accepted = sum(1 for _, _, reason in truth["record_outcomes"] if reason is None)
    assert (to_silver, quarantined) == (accepted, len(truth["record_outcomes"]) - accepted)
    # The tasks ran in executors both workers started, not in the driver.
    assert {folder.parent.parent.name for folder in cluster.executor_folders()} == {"worker-0", "worker-1"}
    assert cluster.master_url.startswith("spark://127.0.0.1:") and cluster.alive_workers() == 2

    union = " UNION ALL ".join(
        f"SELECT '{t.qualified_name}' AS t, count(*) AS n FROM {t.qualified_name}" for t in ALL_TABLES
    )
    fingerprints = " UNION ALL ".join(gold_fingerprints(t) for t in GOLD_TABLES)
    databases = sorted({t.database for t in ALL_TABLES} | {s.qualified_name.split(".")[0] for s in SOURCES})
    statements = [union, fingerprints, *(f"SHOW TABLES IN {db}" for db in databases), "DESCRIBE sales_bronze.returns"]
    query = subprocess.run(
        [*common, "query", "--json", "--lake", str(lake), "--master", "local[1]", *statements],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert query.returncode == 0, query.stderr[-3000:]
    printed = [json.loads(line) for line in query.stdout.splitlines() if line.startswith("{")]
    results = {result["statement"]: [[str(v) for v in row] for row in result["rows"]] for result in printed}
    found = {cells[0]: int(cells[1]) for cells in results[union]}
    assert set(found) == {t.qualified_name for t in ALL_TABLES}
    assert all(found[t.qualified_name] > 0 for t in SILVER_TABLES + GOLD_TABLES)
    local_mode = [[str(v) for v in row] for row in spark.sql(fingerprints).collect()]  # the module's lake
    assert results[fingerprints] == local_mode

    listed = {f"{cells[0]}.{cells[1]}" for db in databases for cells in results[f"SHOW TABLES IN {db}"]}
    history = {t(domain).qualified_name for t in (job_runs_table, run_figures_table) for domain in DOMAINS}
    assert listed == {t.qualified_name for t in ALL_TABLES} | {s.qualified_name for s in SOURCES} | history
    described = [tuple(cells[:2]) for cells in results["DESCRIBE sales_bronze.returns"]]
    assert described[:7] == [
        ("return_id", "string"),
        ("order_id", "string"),
        ("line_no", "int"),
        ("quantity", "int"),
        ("reason", "string"),
        ("returned_at", "string"),
        ("ingest_date", "string"),
    ]
    assert ("# Partition Information", "") in described


# What each of the analysts' named queries (infra/queries) returns, from the ground truth:
# (its rows, in its columns' order; the columns its ORDER BY sorts on).
def _net_revenue_by_day_and_region(truth, today):
    since = (today - dt.timedelta(days=30)).isoformat()
    sums: dict[tuple, list] = {}
    for r in truth["daily_sales"]:
        if r["order_date"] >= since:
            total = sums.setdefault((r["order_date"], r["region"]), [Decimal(0), 0])
            total[0] += Decimal(r["net_revenue_usd"])
            total[1] += r["orders"]
    return [(d, region, str(v[0]), v[1]) for (d, region), v in sums.items()], (0, 1)


NAMED_QUERY_TRUTH = {
    "customers_at_risk": lambda truth, _: (
        [
            (r["customer_id"], r["rfm_segment"], r["lifetime_revenue_usd"], r["last_order_date"])
            for r in truth["customer_ltv"]
            if r["rfm_segment"] == "at_risk"  # none on the sample: three days, nobody has lapsed
        ],
        (),
    ),
    "daily_net_revenue_by_region": _net_revenue_by_day_and_region,
    "monthly_kpis": lambda truth, _: (
        [
            (
                r["month"],
                r["revenue_usd"],
                r["net_revenue_usd"],
                r["orders"],
                r["avg_order_value_usd"],
                r["revenue_mom_growth"],
            )
            for r in truth["sales_kpis_monthly"]
        ],  # fmt: skip
        (0,),
    ),
    "negative_margin_products": lambda truth, _: (
        [
            (r["month"], r["product_sku"], r["product_name"], r["revenue_usd"], r["gross_margin_usd"])
            for r in truth["product_performance"]
            if r["is_negative_margin"]
        ],
        (4,),
    ),
}
NAMED_QUERIES = sorted((REPO / "infra" / "queries").glob("*.sql"))


def test_every_named_query_has_its_truth():
    assert [q.stem for q in NAMED_QUERIES] == sorted(NAMED_QUERY_TRUTH)


@pytest.mark.parametrize("query", NAMED_QUERIES, ids=lambda q: q.stem)
def test_each_athena_named_query_runs_here_and_returns_the_truth(spark, built_lake, query):
    """The query as Athena runs it, translated to Spark SQL, on the module's lake: its rows are
    the ground truth's, in the order it asks for. `current_date` is pinned to 30 days after
    the sample's second day, so a last-30-days filter keeps all but the first day."""
    _, truth, _ = built_lake
    today = SETTINGS.start + dt.timedelta(days=31)
    (statement,) = athena_to_spark(query.read_text(), spark.catalog.functionExists, today)
    rows = [tuple(plain_value(v) for v in row) for row in spark.sql(statement).collect()]
    expected, order_by = NAMED_QUERY_TRUTH[query.stem](truth, today)
    assert sorted(rows, key=repr) == sorted(expected, key=repr)
    ordering = [tuple(row[i] for i in order_by) for row in rows]
    assert ordering == sorted(ordering, key=lambda key: tuple(_sortable(v) for v in key))


def test_the_query_command_runs_athena_sql_from_a_file_and_names_what_cannot_run(built_lake, capsys):
    root, truth, _ = built_lake
    query = REPO / "infra" / "queries" / "monthly_kpis.sql"
    assert cli.main(["query", "--lake", str(root), "--json", "--dialect", "athena", f"@{query}"]) == 0
    (printed,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [row[0] for row in printed["rows"]] == sorted(r["month"] for r in truth["sales_kpis_monthly"])
    assert cli.main(["query", "--lake", str(root), "--dialect", "athena", "SELECT try(1 / 0)"]) == 2
    assert "cannot run this Athena query here: cannot be translated to spark SQL" in capsys.readouterr().err


def _sortable(value):
    try:
        return Decimal(value)
    except (TypeError, ArithmeticError, ValueError):
        return value


def test_every_duckdb_view_equals_its_table_row_for_row(spark, built_lake, tmp_path):
    """The notebook's database: a view per table the catalog holds, each with the rows and
    values `spark.table` gives, read by DuckDB alone."""
    database = tmp_path / "lake.duckdb"
    views = write_views(spark, lake_tables(), database)
    registered = {t.qualified_name for t in lake_tables() if spark.catalog.tableExists(t.qualified_name)}
    assert sorted(views) == sorted(registered) and len(views) >= len(ALL_TABLES) + 2 * len(DOMAINS)
    with duckdb.connect(str(database), read_only=True) as db:
        for table in lake_tables():
            if table.qualified_name not in registered:
                continue
            ours = db.sql(f"SELECT * FROM {table.qualified_name}")
            assert ours.columns == table.column_names, table.qualified_name
            theirs = spark.table(table.qualified_name).select(*table.column_names).collect()
            rows = sorted(map(tuple, ours.fetchall()), key=repr)
            assert rows == sorted(map(tuple, theirs), key=repr), table.qualified_name


@pytest.fixture(scope="module")
def site(spark, built_lake, tmp_path_factory) -> Path:
    """The catalog site of the module's lake, as `make run-local` builds it."""
    folder = tmp_path_factory.mktemp("site")
    database = folder / "lake.duckdb"
    write_views(spark, lake_tables(), database)
    _, _, run = built_lake
    build_site(database, folder / "site", REPO / "infra" / "queries", latest=list(run.records.values()))
    return folder / "site"


def test_the_site_has_a_page_per_product_and_no_broken_link(site):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    tables = [page_name(t.qualified_name) for t in PRODUCTS]
    assert pages == sorted(["index.html", "business.html", "runs.html", "report.html", *tables])
    for page in site.rglob("*.html"):
        for link in local_links(page.read_text()):
            assert (page.parent / link).resolve().is_file(), f"{page.relative_to(site)} links to a missing {link}"


def test_a_table_page_says_what_it_holds_who_owns_it_and_whether_it_is_fresh(site):
    page = (site / page_name(GOLD_DAILY_SALES.qualified_name)).read_text()
    for column in GOLD_DAILY_SALES.column_names:
        assert f"<td>{column}</td>" in page
    assert escape(GOLD_DAILY_SALES.owner) in page and GOLD_DAILY_SALES.description in page
    assert '<span class="badge ok">freshness 0 d' in page  # gold has silver's newest day
    assert "<h3>daily_net_revenue_by_region</h3>" in page and "Did not run here" not in page
    customers = (site / page_name("customer_silver.customers")).read_text()
    assert "<td>email_hash</td>" in customers and "<td>confidential</td>" in customers  # PII, hashed and classified


def test_every_chart_of_the_site_draws_its_values(site):
    for name in ("business.html", "runs.html", "report.html", *(page_name(t.qualified_name) for t in PRODUCTS)):
        page = (site / name).read_text()
        assert "nothing to draw" not in page, name
        for svg in re.findall(r'<svg class="chart".*?</svg>', page):
            assert 'class="mark"' in svg, (name, svg[:200])
    business = (site / "business.html").read_text()
    assert business.count('<svg class="chart"') == 6


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (`make test-local` installs it)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_FLAGS))
        yield launched
        launched.close()


def open_page(browser, url: str) -> tuple[Page, list[str]]:
    """A page at `url`, and the errors its console and scripts report as it runs."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return page, errors


def test_in_a_browser_search_finds_the_monthly_kpis_and_its_page_tells_owner_freshness_and_revenue(site, browser):
    """A person with no terminal: the index, the search box, the table's page."""
    page, errors = open_page(browser, (site / "index.html").as_uri())
    page.fill("#search", "monthly kpis")
    visible = [card.locator("b").inner_text() for card in page.locator(".card:visible").all()]
    assert visible == [GOLD_SALES_KPIS_MONTHLY.qualified_name]
    page.fill("#search", "")
    assert page.locator(".card:visible").count() == len(PRODUCTS)
    page.fill("#search", "monthly kpis")
    page.click(f"text={GOLD_SALES_KPIS_MONTHLY.qualified_name}")
    page.wait_for_load_state()
    assert page.title().startswith(GOLD_SALES_KPIS_MONTHLY.qualified_name)
    text = page.inner_text("main")
    assert GOLD_SALES_KPIS_MONTHLY.owner in text and "built " in text
    cells = page.locator("table").nth(1).locator("td:first-child").all_inner_texts()
    assert cells == GOLD_SALES_KPIS_MONTHLY.column_names
    chart = page.locator("svg.chart", has_text="Net revenue by month")
    assert chart.locator(".mark").count() == len(built_months(site))
    assert errors == []


def built_months(site: Path) -> list[str]:
    page = (site / page_name(GOLD_SALES_KPIS_MONTHLY.qualified_name)).read_text()
    svg = re.search(r'<svg class="chart"[^>]*><title>Net revenue by month.*?</svg>', page)
    return re.findall(r"<title>(\d{4}-\d{2}) net revenue", svg.group(0) if svg else "")


PAGE_KINDS = ["index.html", "business.html", "runs.html", "report.html", page_name(GOLD_DAILY_SALES.qualified_name)]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_in_a_browser_each_page_kind_renders_its_charts_links_and_no_errors(site, browser, kind):
    page, errors = open_page(browser, (site / kind).as_uri())
    for chart in page.locator("svg.chart").all():
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
        drawn = [m.bounding_box() for m in chart.locator(".mark").all()]
        assert drawn and all(b and b["width"] > 0 and b["height"] > 0 for b in drawn)
    resolved = "links => links.map(link => new URL(link.getAttribute('href'), document.baseURI).href)"
    for href in page.eval_on_selector_all("a[href]", resolved):  # SVG links (lineage) too
        assert Path(url2pathname(urlparse(href).path)).is_file(), href
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{Path(kind).stem}.png", full_page=True)
    assert errors == []


def test_every_source_and_table_with_a_service_level_is_checked(built_lake):
    _, _, run = built_lake
    silver = {(r.product, r.property): r for record in run.records_of("bronze_to_silver") for r in record.sla}
    assert {product for product, kind in silver if kind == "completeness"} == {s.qualified_name for s in SOURCES}
    assert {product for product, kind in silver if kind == "freshness"} == {
        "sales_silver.orders",
        "sales_silver.returns",
    }
    assert silver["sales_silver.orders", "freshness"].met  # each day's orders land that day
    latencies = {product: r for (product, kind), r in silver.items() if kind == "latency"}
    assert set(latencies) == {t.qualified_name for t in SILVER_TABLES}  # every silver contract promises one
    assert all(r.met and float(r.measured.removesuffix(" h")) < 1 for r in latencies.values())  # landed just now
    ledger = run.records["sales_bronze_to_silver"].ledger["orders"]
    rejected = sum(n for reason, n in ledger.quarantined_by_reason.items() if reason != "DUPLICATE_SUPERSEDED")
    assert silver["sales_bronze.orders", "completeness"].measured == f"{100 * (1 - rejected / ledger.rows_in):.1f}%"
    gold = {(r.product, r.property): r for record in run.records_of("silver_to_gold") for r in record.sla}
    assert set(gold) == {("sales_gold.daily_sales", "freshness"), ("sales_gold.daily_sales", "timeOfAvailability")}
    assert gold["sales_gold.daily_sales", "freshness"].measured == "0 d"  # gold has silver's newest day


def test_every_runs_service_levels_are_in_its_domains_history_table(spark, built_lake):
    _, _, run = built_lake
    checked = {(record.run_id, r.product, r.property, r.met) for record in run.records.values() for r in record.sla}
    history = set()
    for table in SLA_HISTORY_TABLES.values():
        rows = spark.table(table.qualified_name).collect()
        assert {r.product.split("_", 1)[0] for r in rows} == {table.domain}  # each domain keeps its own
        history |= {(r.run_id, r.product, r.property, r.met) for r in rows}
    assert len(checked) > 10 and history == checked
