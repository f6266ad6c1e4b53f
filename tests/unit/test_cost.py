"""What a run costs on Glue: from Glue's own run record (DPUSeconds, else execution time x
workers x DPUs per worker, at least a minute; Flex at its own price), and the local estimate
per day, domain and job, whose parts add up to the total."""

from __future__ import annotations

import json

import boto3
import pytest

from jobs.runtime.cost import MB, TB, Prices, athena_query_cost, estimated_cost, glue_run_cost
from jobs.runtime.run_record import RunRecord
from local.runner.cli import main as local_main
from local.runner.costs import (
    athena_queries,
    cost_lines,
    cost_rows,
    estimate_title,
    estimated_runs,
    glue_runs,
    saved_runs,
)


def test_a_glue_run_costs_its_dpu_hours_at_its_execution_class_price():
    standard = glue_run_cost({"ExecutionTime": 300, "NumberOfWorkers": 2, "WorkerType": "G.1X"})
    assert (round(standard.dpu_hours, 6), round(standard.usd, 6)) == (round(600 / 3600, 6), round(600 / 3600 * 0.44, 6))
    short = glue_run_cost({"ExecutionTime": 20, "NumberOfWorkers": 10, "WorkerType": "G.2X"})
    assert short.dpu_hours == pytest.approx(60 * 10 * 2 / 3600)  # billed a minute at least
    flex = glue_run_cost({"DPUSeconds": 1800.0, "ExecutionTime": 900, "NumberOfWorkers": 4, "WorkerType": "G.1X",
                          "ExecutionClass": "FLEX"})  # fmt: skip
    assert (flex.dpu_hours, flex.usd) == (0.5, 0.5 * 0.29) and flex.basis == "Glue's DPUSeconds, FLEX"
    with pytest.raises(ValueError, match="no DPU figure for worker type 'X.9'"):
        glue_run_cost({"ExecutionTime": 1, "NumberOfWorkers": 1, "WorkerType": "X.9"})


def test_a_local_run_is_an_estimate_at_the_job_size_asked_for():
    cost = estimated_cost(90, 2, "G.1X", Prices(standard=1.0))
    assert (cost.dpu_hours, cost.usd) == (180 / 3600, 180 / 3600)
    assert cost.basis == "estimate: 90 s measured here, on Glue as 2 x G.1X"


def save(state, job: str, run_id: str, seconds: float, status: str = "succeeded") -> None:
    folder = state / "runs" / job
    folder.mkdir(parents=True, exist_ok=True)
    record = RunRecord(job, run_id, "", "job-bookmark-enable", status=status, seconds=seconds)
    (folder / f"{run_id}.json").write_text(json.dumps(record.to_json()))


def test_the_cost_per_day_domain_and_job_adds_up_to_the_total(tmp_path):
    state = tmp_path / "state"
    save(state, "sales_bronze_to_silver", "20261126T020000Z-aaaaaa", 120)
    save(state, "sales_bronze_to_silver", "20261127T020000Z-bbbbbb", 30)  # billed as 60
    save(state, "sales_silver_to_gold", "20261127T020500Z-cccccc", 240)
    save(state, "customer_bronze_to_silver", "20261127T015000Z-dddddd", 600)
    save(state, "customer_silver_to_gold", "20261127T030000Z-eeeeee", 10, status="failed")  # never committed
    prices = Prices(standard=0.5)
    rows = cost_rows(estimated_runs(saved_runs(state), 2, "G.1X", prices))
    assert [(r.day, r.domain, r.layer, r.job, r.runs) for r in rows] == [
        ("2026-11-26", "sales", "silver", "sales_bronze_to_silver", 1),
        ("2026-11-27", "customer", "silver", "customer_bronze_to_silver", 1),
        ("2026-11-27", "sales", "gold", "sales_silver_to_gold", 1),
        ("2026-11-27", "sales", "silver", "sales_bronze_to_silver", 1),
    ]
    billed_seconds = 120 + 60 + 240 + 600
    assert sum(r.usd for r in rows) == pytest.approx(billed_seconds * 2 / 3600 * 0.5)
    lines = cost_lines(rows, estimate_title(2, "G.1X", prices))
    assert lines[0].startswith("Estimated cost on AWS Glue (2 x G.1X, $0.5 per DPU-hour")
    customer, sales = 600 * 2 / 3600 * 0.5, (120 + 60 + 240) * 2 / 3600 * 0.5
    assert lines[-1] == f"  per domain: customer ${customer:.4f}, sales ${sales:.4f}; total ${customer + sales:.4f}"


def test_an_athena_query_costs_what_it_scanned_rounded_up_with_a_10_mb_minimum():
    prices = Prices(athena_tb=5.0)
    done = {"Status": {"State": "SUCCEEDED"}, "StatementType": "DML"}
    big = athena_query_cost(done | {"Statistics": {"DataScannedInBytes": 3 * TB + 1}}, prices)
    assert big.usd == pytest.approx((3 * TB + MB) / TB * 5.0)
    small = athena_query_cost(done | {"Statistics": {"DataScannedInBytes": 1000}}, prices)
    assert small.usd == pytest.approx(10 * MB / TB * 5.0)
    ddl = {"Status": {"State": "SUCCEEDED"}, "StatementType": "DDL", "Statistics": {"DataScannedInBytes": 0}}
    failed = done | {"Status": {"State": "FAILED"}, "Statistics": {"DataScannedInBytes": 5 * MB}}
    assert athena_query_cost(ddl, prices).usd == athena_query_cost(failed, prices).usd == 0


def test_the_real_cost_of_a_deployment_comes_from_glue_and_athena(aws, capsys):
    """GetJobRuns and the Athena workgroup's queries on a moto server (botocore validates every
    call): each deployed job's finished runs at Glue's own figures, attributed to its domain."""
    glue, athena = boto3.client("glue"), boto3.client("athena")
    for job in ("sales_bronze_to_silver", "customer_silver_to_gold"):
        glue.create_job(Name=f"sdl-dev-{job}", Role="arn:aws:iam::123456789012:role/x", Command={"Name": "glueetl"})
    glue.start_job_run(JobName="sdl-dev-sales_bronze_to_silver", WorkerType="G.1X", NumberOfWorkers=2)
    glue.start_job_run(JobName="sdl-dev-customer_silver_to_gold", WorkerType="G.2X", NumberOfWorkers=5)
    glue.create_job(
        Name="other-sales_bronze_to_silver", Role="arn:aws:iam::123456789012:role/x", Command={"Name": "glueetl"}
    )
    glue.start_job_run(JobName="other-sales_bronze_to_silver", WorkerType="G.1X", NumberOfWorkers=2)
    athena.create_work_group(Name="sdl-dev-analysts")
    for _ in range(3):
        athena.start_query_execution(QueryString="SELECT 1", WorkGroup="sdl-dev-analysts")
    prices = Prices()

    runs = glue_runs(glue, "sdl-dev", prices)
    assert sorted((r.domain, r.layer, r.job) for r in runs) == [
        ("customer", "gold", "customer_silver_to_gold"),
        ("sales", "silver", "sales_bronze_to_silver"),
    ]  # another deployment's job is not this one's
    for run in runs:
        described = glue.get_job_runs(JobName=f"sdl-dev-{run.job}")["JobRuns"][0]
        assert run.cost == glue_run_cost(described, prices)
    queries = athena_queries(athena, "sdl-dev-analysts", prices)
    assert [(q.domain, q.job) for q in queries] == [("analysts", "athena:sdl-dev-analysts")] * 3

    assert local_main(["cost", "--glue", "sdl-dev"]) == 0
    lines = capsys.readouterr().out.splitlines()
    total = sum(r.cost.usd for r in runs + queries)
    assert lines[0].startswith("Cost on AWS of sdl-dev (Glue's own run records")
    assert lines[-1].endswith(f"total ${total:.4f}") and total > 0
