"""The job-context seam: sources, sinks, catalog, quality results, run records; Glue and local."""

import dataclasses
import datetime as dt
import json
import logging
import re
import time
from decimal import Decimal
from pathlib import Path

import fastavro
import pytest
from pyspark.sql import functions as F

from jobs.runtime.local import local_context
from jobs.runtime.partitions import Partition
from jobs.runtime.run_history import job_run_row, job_runs_table
from jobs.runtime.run_record import Ledger, RunRecord
from local.sample.generator import GeneratorSettings, generate
from tests.helpers.spark import lake_tables
from transforms.contracts import GOLD_DAILY_SALES, ORDERS_SOURCE, PRODUCTS_SOURCE, RETURNS_SOURCE, SILVER_RETURNS
from transforms.frames import ContractViolation


def _land(lake, day, text):
    folder = Path(lake.bronze_uri) / ORDERS_SOURCE.prefix / f"ingest_date={day}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"orders_{day}.csv").write_text(text)


def test_bronze_lines_carry_file_line_and_ingest_date(spark, lake):
    _land(lake, "2026-01-02", "line_no,Order_ID,extra\na\n\nb\n")
    ctx = local_context("test", lake, spark)
    rows = sorted(ctx.bronze.read(ORDERS_SOURCE).collect())
    file = "sales/orders/ingest_date=2026-01-02/orders_2026-01-02.csv"
    # CSV lines also carry their file's header laid out for the source's columns: its line,
    # width, how many of the columns it names, and where each stands in it (0: nowhere).
    places = [{"order_id": 2, "line_no": 1}.get(column, 0) for column in ORDERS_SOURCE.columns]
    header = (1, 3, 2, places)
    assert [tuple(r) for r in rows] == [
        (file, 1, dt.date(2026, 1, 2), "line_no,Order_ID,extra", *header),
        (file, 2, dt.date(2026, 1, 2), "a", *header),
        (file, 4, dt.date(2026, 1, 2), "b", *header),
    ]


def test_no_landed_files_gives_an_empty_frame(spark, lake):
    ctx = local_context("test", lake, spark)
    assert ctx.bronze.read(ORDERS_SOURCE).count() == 0


def _land_a_generated_day(lake):
    files, _ = generate(GeneratorSettings(orders=20, days=1, seed=1))
    for relative, content in files.items():
        target = Path(lake.bronze_uri) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def test_parquet_and_avro_rows_become_json_records_numbered_in_file_order(spark, lake):
    _land_a_generated_day(lake)
    ctx = local_context("test", lake, spark)
    products = ctx.bronze.read(PRODUCTS_SOURCE).orderBy("source_line").collect()
    assert [r.source_line for r in products] == list(range(1, len(products) + 1))
    assert products[0].source_file == "product/products/ingest_date=2026-01-27/products_2026-01-27.parquet"
    assert json.loads(products[2].raw_record)["sku"] == "SKU-0003"
    returns = ctx.bronze.read(RETURNS_SOURCE).orderBy("source_line").collect()
    assert returns and {"return_id", "order_id", "line_no", "quantity"} <= set(json.loads(returns[0].raw_record))
    assert returns[0].ingest_date == dt.date(2026, 1, 27)


def test_every_record_of_many_avro_files_arrives_numbered_file_by_file(spark, lake):
    """An empty file among them included: the records reach Spark as one Arrow array per column.
    Built as a chunk per file, the columns lost every record after an empty chunk in PySpark
    4.1.1's `createDataFrame`, and a year of returns became 365 partitions, a task per file in
    every step after the read (bench/NOTES.md)."""
    schema = {"type": "record", "name": "r", "fields": [{"name": "return_id", "type": "string"}]}
    days = [f"2026-02-{day:02d}" for day in range(1, 9)]
    for n, day in enumerate(days):
        target = Path(lake.bronze_uri) / f"sales/returns/ingest_date={day}/returns_{day}.avro"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            fastavro.writer(out, schema, [{"return_id": f"R{n}-{i}"} for i in range(n % 3)])
    broken = Path(lake.bronze_uri) / "sales/returns/ingest_date=2026-02-09/returns_2026-02-09.avro"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(b"not avro at all")
    returns = local_context("test", lake, spark).bronze.read(RETURNS_SOURCE)
    rows = sorted((r.ingest_date.day, r.source_line, r.raw_record) for r in returns.collect())
    records = [(day, line, json.loads(text)["return_id"]) for day, line, text in rows[:-1]]
    assert records == [(day, i + 1, f"R{day - 1}-{i}") for day in range(1, 9) for i in range((day - 1) % 3)]
    assert rows[-1][:2] == (9, 0) and rows[-1][2].startswith("unreadable file:")


def test_avro_records_are_not_computed_while_a_plan_is_optimized(spark, lake):
    """Rows handed over from Python (fastavro's records, as Arrow) would be a LocalRelation, and
    Spark's optimizer computes every projection over one itself, on the driver, interpreted, in
    each plan that reads it: over a year of returns, seconds per plan."""
    _land_a_generated_day(lake)
    returns = local_context("test", lake, spark).bronze.read(RETURNS_SOURCE)
    cleaned_like = returns.select(F.upper("raw_record").alias("upper"), F.length("source_file").alias("n"))
    optimized = cleaned_like._jdf.queryExecution().optimizedPlan().toString()
    assert "LocalRelation" not in optimized
    assert cleaned_like.count() == returns.count() > 0


def test_a_table_never_written_reads_as_empty(spark, lake):
    assert lake_tables(spark, lake).read(SILVER_RETURNS).count() == 0


def _daily(spark, day, revenue):
    money = Decimal(revenue)
    return spark.createDataFrame(
        [("EMEA", "online", money, Decimal(0), money, 1, 1, money, day)], GOLD_DAILY_SALES.schema
    )


def test_written_tables_are_registered_and_rewrite_only_their_partitions(spark, lake):
    tables = lake_tables(spark, lake)
    d1, d2 = dt.date(2026, 1, 1), dt.date(2026, 1, 2)
    both = tables.write(_daily(spark, d1, 1).unionByName(_daily(spark, d2, 2)), GOLD_DAILY_SALES)
    assert both == [Partition.of({"order_date": d1}), Partition.of({"order_date": d2})]
    rerun = tables.write(_daily(spark, d2, 5), GOLD_DAILY_SALES)  # rerun of day 2 only
    assert rerun == [Partition.of({"order_date": d2})]
    rows = spark.sql("SELECT order_date, revenue_usd FROM sales_gold.daily_sales ORDER BY order_date").collect()
    assert [(r.order_date, int(r.revenue_usd)) for r in rows] == [(d1, 1), (d2, 5)]
    partitions = [r[0] for r in spark.sql("SHOW PARTITIONS sales_gold.daily_sales").collect()]
    assert partitions == ["order_date=2026-01-01", "order_date=2026-01-02"]


def test_a_frame_missing_contract_columns_is_refused(spark, lake):
    with pytest.raises(ContractViolation, match="avg_order_value_usd"):
        lake_tables(spark, lake).write(
            _daily(spark, dt.date(2026, 1, 1), 1).drop("avg_order_value_usd"), GOLD_DAILY_SALES
        )


def test_commit_writes_the_run_record(spark, lake):
    ctx = local_context("test_job", lake, spark)
    ctx.run.metric("rows", 3)
    ctx.run.record_ledger("orders", Ledger.of([("a", "accepted", 2), ("a", "BAD_PRICE", 1)]))
    with ctx.step("a step"):
        pass
    record = ctx.commit()
    saved = json.loads((Path(lake.state_uri) / "runs" / "test_job" / f"{ctx.run_id}.json").read_text())
    assert saved["metrics"] == {"rows": 3, "orders.rows_in": 3, "orders.rows_silver": 2, "orders.rows_quarantined": 1}
    assert saved["status"] == "succeeded" and list(saved["steps"]) == ["a step"]
    assert RunRecord.from_json(saved) == record  # the saved record reads back as the run's own
    assert "cloudwatch" not in saved  # no endpoint configured: the figures stay in the record


def test_a_cloudwatch_that_cannot_be_reached_never_fails_the_run(spark, lake, monkeypatch, caplog):
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    ctx = local_context("test_job", lake, spark)
    ctx.run.record_ledger("orders", Ledger.of([("a", "accepted", 2)]))
    record = ctx.commit()
    assert record.status == "succeeded"
    assert record.cloudwatch is not None and record.cloudwatch.startswith("unreachable after 0 of ")
    assert "CloudWatch did not take the run's figures" in caplog.text
    saved = json.loads((Path(lake.state_uri) / "runs" / "test_job" / f"{ctx.run_id}.json").read_text())
    assert saved["cloudwatch"] == record.cloudwatch


def test_the_run_history_tables_say_which_job_got_slower_this_week(spark, lake):
    """Every run ends with a row in its domain's `job_runs` and one per figure in
    `run_figures` (a run for every domain at once: `lake_ops`), so one query answers it."""
    for job, days_ago, seconds in (("fast_job", 10, 5), ("fast_job", 1, 6), ("slow_job", 10, 5), ("slow_job", 1, 50)):
        ctx = local_context(job, lake, spark)
        ctx.run.started_at = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).isoformat()
        ctx.started -= seconds  # as if it had run this long
        ctx.run.record_ledger("orders", Ledger.of([("a", "accepted", 2), ("a", "BAD_PRICE", 1)]))
        ctx.commit()
    slower = spark.sql(
        """SELECT job,
                  avg(CASE WHEN started_at >= current_timestamp() - INTERVAL 7 DAYS THEN seconds END)
                  - avg(CASE WHEN started_at < current_timestamp() - INTERVAL 7 DAYS THEN seconds END) AS slower_by
           FROM lake_ops.job_runs GROUP BY job ORDER BY slower_by DESC"""
    ).collect()
    assert [r.job for r in slower] == ["slow_job", "fast_job"] and 44 < slower[0].slower_by < 46
    runs = spark.sql("SELECT status, records_in, records_quarantined FROM lake_ops.job_runs").collect()
    assert [(r.status, r.records_in, r.records_quarantined) for r in runs] == [("succeeded", 3, 1)] * 4
    quarantined = spark.sql(
        "SELECT value FROM lake_ops.run_figures WHERE metric = 'RecordsQuarantined' "
        "AND dimensions = 'Job=slow_job,Domain=all,Dataset=orders,Reason=BAD_PRICE'"
    ).collect()
    assert [r.value for r in quarantined] == [1.0, 1.0]


def test_a_long_step_says_how_far_it_is_while_it_runs(spark, lake, tmp_path, caplog):
    """Every `progress_every` seconds a step that is still working logs its running stages:
    tasks done of all, and the records read so far; a step shorter than that logs nothing more."""
    data = str(tmp_path / "numbers.parquet")
    spark.range(0, 8000, numPartitions=8).write.parquet(data)

    def slowly(rows):
        time.sleep(0.4)
        yield sum(1 for _ in rows)

    ctx = local_context("test_job", lake, spark)
    ctx.progress_every = 0.3
    with caplog.at_level(logging.INFO, logger="sales_data_lake"):
        with ctx.step("quick step"):
            pass
        with ctx.step("slow step"):
            assert sum(spark.read.parquet(data).repartition(8).rdd.mapPartitions(slowly).collect()) == 8000
    lines = [r.getMessage() for r in caplog.records if "tasks," in r.getMessage()]
    assert lines and all(line.startswith("[test_job] slow step: ") for line in lines)
    done: dict[str, list[int]] = {}
    for line in lines:
        stage, tasks_done = re.search(r" stage (\d+) .* (\d+)/\d+ tasks", line).groups()
        done.setdefault(stage, []).append(int(tasks_done))
    assert all(counts == sorted(counts) for counts in done.values())  # each stage's tasks finish as it reports
    assert max(max(counts) for counts in done.values()) > 0
    assert any(re.search(r", [1-9][\d,]* records read$", line) for line in lines)


def test_an_ops_table_registered_before_a_column_was_added_gains_it_and_old_rows_read_null(spark, lake):
    """`job_runs` of a lake whose runs predate a column: the next run registers the table again
    with the contract's columns, and the earlier runs' rows read the new column as null."""
    table = job_runs_table("sales")
    before = dataclasses.replace(table, columns=table.columns[:-3])  # before bytes and cost were kept
    old, new = (RunRecord("sales_bronze_to_silver", run_id, "2026-11-20T02:00:00+00:00", "job-bookmark-enable",
                          status="succeeded", seconds=30.0) for run_id in ("r-old", "r-new"))  # fmt: skip
    new.estimated_usd, new.bytes_read = 0.0147, {"sales/orders": 2048}
    lake_tables(spark, lake).add_rows([job_run_row(old)[:-3]], before)
    assert [c.name for c in spark.catalog.listColumns(table.qualified_name)] == before.column_names
    lake_tables(spark, lake).add_rows([job_run_row(new)], table)
    assert [c.name for c in spark.catalog.listColumns(table.qualified_name)] == table.column_names
    rows = {r.run_id: r for r in spark.table(table.qualified_name).collect()}
    assert (rows["r-old"].estimated_usd, rows["r-old"].bytes_read) == (None, None)
    assert (rows["r-new"].estimated_usd, rows["r-new"].bytes_read) == (0.0147, 2048)
