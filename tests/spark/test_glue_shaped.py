"""The jobs started the way AWS Glue starts them: the script path, then Glue's own arguments
(`--JOB_ID`, `--JOB_RUN_ID`, `--JOB_NAME` with the name Terraform gives the job, the bookmark
option, `--TempDir`) and every default argument of its `aws_glue_job`, rendered from infra/
with the example settings (s3:// mapped to local folders), in several orders, through
awsglue's real getResolvedOptions. GlueContext and Job are the stand-ins of local.runner.glue_run,
which enforce what Glue's own classes require; the PII key comes from Secrets Manager on a
moto server, and the figures they send go to CloudWatch on the same moto server, where every
alarm of infra/ finds its metric with exactly its dimensions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import awsglue.context
import awsglue.job
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations.gate import ExpectationOutcome, QualityGateFailed, SuiteResult
from jobs import bronze_to_silver, silver_to_gold
from jobs.pipeline import DOMAIN_JOBS
from jobs.runtime.cloudwatch import DIMENSIONS, NAMESPACE
from jobs.runtime.cost import estimated_cost
from jobs.runtime.entry import run_job
from jobs.runtime.run_history import job_runs_table, run_figures_table
from jobs.runtime.run_record import QualityVerdict, RunRecord
from jobs.runtime.session import COMMON_SETTINGS
from jobs.runtime.uris import local_path_of
from local.runner.glue_run import CALLS_VARIABLE, THEN, GlueContextStandIn, JobStandIn, command_lines
from local.sample.generator import GeneratorSettings, write_sample_lake
from tests.helpers.aws import metric_sum, metrics_listed, put_secret
from tests.helpers.gold_truth import gold_differences
from tests.helpers.infra_model import REPO, DeployedJob, deployed_jobs, rendered
from tests.helpers.lineage import events_in, symlinked_tables
from transforms.contracts import GOLD_TABLES, PRODUCTS_SOURCE, QUARANTINE_TABLES

# Settings a Glue session may start with otherwise: the job sets its own on any platform.
PLATFORM_DEFAULTS = {
    "spark.sql.ansi.enabled": "false",
    "spark.sql.hive.metastorePartitionPruningInSetThreshold": "1000",
    "spark.sql.hive.metastorePartitionPruningFallbackOnException": "false",
    "spark.sql.constraintPropagation.enabled": "true",
}

PII_KEY = "glue-shaped-test-key"
SECRET_NAME = "sdl-dev/pii-hash-key"
GLUE_IDENTITY = ("--JOB_ID", "--JOB_RUN_ID", "--JOB_NAME", "--job-bookmark-option", "--TempDir")
ORDERS = (  # Glue does not document its order: the jobs must not depend on one
    ("--JOB_ID", "--JOB_RUN_ID", "--job-bookmark-option", "--TempDir", "--JOB_NAME"),
    ("--JOB_NAME", "--JOB_ID", "--TempDir", "--JOB_RUN_ID", "--job-bookmark-option"),
    ("--job-bookmark-option", "--JOB_RUN_ID", "--JOB_NAME", "--TempDir", "--JOB_ID"),
)


def local_arguments(job: DeployedJob, root: Path, secret_arn: str) -> dict[str, str]:
    """The job's default arguments with every s3:// location under `root/s3/` and the secret
    as the moto server names it."""
    mapped = {k: v.replace("s3://", f"file:{root}/s3/") for k, v in job.default_arguments.items()}
    return mapped | ({"--pii_hash_key_secret": secret_arn} if "--pii_hash_key_secret" in mapped else {})


def glue_command_line(job: DeployedJob, arguments: dict[str, str], run_id: str, order=ORDERS[0]) -> list[str]:
    identity = {
        "--JOB_ID": f"j_{job.key}",
        "--JOB_RUN_ID": run_id,
        "--JOB_NAME": job.name,
        "--job-bookmark-option": arguments["--job-bookmark-option"],
        "--TempDir": arguments["--TempDir"],
    }
    rest = sorted((k, v) for k, v in arguments.items() if k not in identity)
    pairs = [(name, identity[name]) for name in order] + rest
    return [str(REPO / "jobs" / job.script)] + [token for pair in pairs for token in pair]


def recorded_calls(path: Path) -> list[list]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def glue_stand_ins(monkeypatch, tmp_path):
    monkeypatch.setattr(awsglue.context, "GlueContext", GlueContextStandIn)
    monkeypatch.setattr(awsglue.job, "Job", JobStandIn)
    calls = tmp_path / "glue-calls.jsonl"
    monkeypatch.setenv(CALLS_VARIABLE, str(calls))
    return calls


def run_in_process(job_module, argv: list[str], monkeypatch, main=None) -> tuple[int, list]:
    """`run_job` exactly as the script's __main__ calls it, with `sys.argv` as Glue sets it."""
    opened = []

    def record_and_commit(ctx):
        opened.append(ctx)
        return (main or (lambda c: c.commit()))(ctx)

    monkeypatch.setattr(sys, "argv", argv)
    return run_job(record_and_commit, job_module.JOB, job_module.ARGUMENTS), opened


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: o[0].strip("-"))
def test_glue_starts_each_job_with_its_own_identity_in_any_argument_order(
    spark, aws, glue_stand_ins, tmp_path, monkeypatch, order
):
    for key, platform_default in PLATFORM_DEFAULTS.items():  # whatever the platform's defaults
        spark.conf.set(key, platform_default)
    job = deployed_jobs()["sales_silver_to_gold"]
    arguments = local_arguments(job, tmp_path, put_secret(SECRET_NAME, PII_KEY))
    exit_code, opened = run_in_process(silver_to_gold, glue_command_line(job, arguments, "jr_7", order), monkeypatch)

    assert exit_code == 0 and len(opened) == 1
    ctx = opened[0]
    # Not given the PII key's secret (it hashes no PII), it has no key: never the local one.
    assert (ctx.job_name, ctx.run_id, ctx.config.domain, ctx.config.pii_hash_key) == (
        "sales_silver_to_gold",
        "jr_7",
        "sales",
        "",
    )
    assert ctx.config.gold_uri == f"file:{tmp_path}/s3/sdl-dev-gold-123456789012"
    assert {key: spark.conf.get(key) for key in COMMON_SETTINGS} == COMMON_SETTINGS
    assert recorded_calls(glue_stand_ins) == [
        ["GlueContext"],
        [
            "Job.init",
            "sdl-dev-sales_silver_to_gold",
            {
                "JOB_NAME": "sdl-dev-sales_silver_to_gold",
                "JOB_ID": "j_sales_silver_to_gold",
                "JOB_RUN_ID": "jr_7",
                "job_bookmark_option": "job-bookmark-enable",
            },
        ],
        ["Job.commit"],
    ]
    # State under the job's own name, where the local runner and the next job look for it.
    assert (tmp_path / "s3/sdl-dev-artifacts-123456789012/state/runs/sales_silver_to_gold/jr_7.json").exists()


def hash_pii(ctx):
    """What cleaning customers asks of the configuration (jobs.silver.datasets)."""
    ctx.config.required_pii_hash_key()
    return ctx.commit()


def test_a_glue_run_that_hashes_pii_without_the_secret_or_with_a_clear_text_key_fails(
    spark, aws, glue_stand_ins, tmp_path, monkeypatch, caplog
):
    job = deployed_jobs()["customer_bronze_to_silver"]
    arguments = local_arguments(job, tmp_path, put_secret(SECRET_NAME, PII_KEY))
    assert run_in_process(bronze_to_silver, glue_command_line(job, arguments, "jr_0"), monkeypatch, hash_pii)[0] == 0
    without_secret = {k: v for k, v in arguments.items() if k != "--pii_hash_key_secret"}
    argv = glue_command_line(job, without_secret, "jr_1")
    exit_code, opened = run_in_process(bronze_to_silver, argv, monkeypatch, hash_pii)
    assert (exit_code, len(opened)) == (1, 1)
    assert "this run hashes PII: --pii_hash_key_secret must name the secret holding the key" in caplog.text
    clear_text = arguments | {"--pii_hash_key": "in-the-job-arguments"}
    exit_code, opened = run_in_process(bronze_to_silver, glue_command_line(job, clear_text, "jr_2"), monkeypatch)
    assert (exit_code, opened) == (1, [])
    assert "the PII hash key is not a job argument" in caplog.text
    missing = arguments | {"--pii_hash_key_secret": "sdl-dev/no-such-secret"}
    exit_code, opened = run_in_process(bronze_to_silver, glue_command_line(job, missing, "jr_3"), monkeypatch)
    assert (exit_code, opened) == (1, [])
    assert "cannot read the PII hash key from sdl-dev/no-such-secret" in caplog.text


# ---- monitoring: the alarms watch metrics the jobs send ------------------------------------
def lake_alarms() -> list[dict]:
    """The rendered CloudWatch alarms on the lake's own metrics."""
    alarms = rendered()["aws_cloudwatch_metric_alarm"]
    return [a for a in alarms if a.get("namespace") == NAMESPACE]


def test_every_alarm_watches_a_metric_the_jobs_send_with_its_dimensions():
    alarms = lake_alarms()
    assert len(alarms) == 3 * len(deployed_jobs()) + 5  # per job: quality, SLA, no run; per source: quarantine
    jobs = deployed_jobs()
    for alarm in alarms:
        name, dimensions = alarm["metric_name"], alarm["dimensions"]
        assert set(dimensions) == set(DIMENSIONS[name]), alarm["alarm_name"]
        if "Job" in dimensions:
            assert jobs[dimensions["Job"]].domain == dimensions["Domain"]


def test_every_dashboard_line_is_a_metric_the_jobs_send_with_its_dimensions():
    """Each widget's `metrics` is a list of [namespace, metric, name, value, ...] arrays, as
    CloudWatch reads them; on the lake's namespace each is a metric the jobs send, with exactly
    its dimensions, for a deployed job."""
    (dashboard,) = rendered()["aws_cloudwatch_dashboard"]
    widgets = json.loads(dashboard["dashboard_body"])["widgets"]
    lines = [line for widget in widgets for line in widget["properties"]["metrics"]]
    assert all(isinstance(line, list) and len(line) % 2 == 0 for line in lines)
    ours = [line for line in lines if line[0] == NAMESPACE]
    assert {line[1] for line in ours} == {"QualitySuitesFailed", "SlaBreaches", "RunsCommitted", "EstimatedCost"}
    jobs = deployed_jobs()
    for _, metric, *pairs in ours:
        dimensions = dict(zip(pairs[::2], pairs[1::2], strict=True))
        assert tuple(dimensions) == DIMENSIONS[metric] and jobs[dimensions["Job"]].domain == dimensions["Domain"]
    assert len(ours) == 4 * len(jobs)


def test_a_failed_quality_gate_sends_what_its_alarm_watches(spark, aws, glue_stand_ins, tmp_path, monkeypatch):
    """A Glue run whose gate fails exits 1 before publishing, and still sends its figures: its
    job's quality alarm sees one failed suite and no committed run."""
    failure = ExpectationOutcome("expect_column_values_to_not_be_null", "order_id", "critical", False, 2, [])
    gate = QualityGateFailed(SuiteResult("silver_orders", False, [failure]))

    def failing(ctx):
        ctx.run.quality["sales_silver.orders"] = QualityVerdict(False, 9, [failure.describe()], [], "q.json", 0.1)
        raise gate

    job = deployed_jobs()["sales_bronze_to_silver"]
    argv = glue_command_line(job, local_arguments(job, tmp_path, put_secret(SECRET_NAME, PII_KEY)), "jr_failing")
    assert run_in_process(bronze_to_silver, argv, monkeypatch, main=failing)[0] == 1
    (alarm,) = [a for a in lake_alarms() if a["alarm_name"].endswith("-sales_bronze_to_silver-quality-gate-failed")]
    assert (alarm["metric_name"], alarm["comparison_operator"], alarm["threshold"]) == (
        "QualitySuitesFailed",
        "GreaterThanThreshold",
        0,
    )
    assert metric_sum("QualitySuitesFailed", alarm["dimensions"]) == 1
    assert metric_sum("RunsCommitted", alarm["dimensions"]) == 0
    start, fail = lineage_events(argv, job.key)
    assert (start["eventType"], fail["eventType"]) == ("START", "FAIL")
    assert "QualityGateFailed" in fail["run"]["facets"]["errorMessage"]["message"]
    assert fail["run"]["facets"]["salesDataLake_quality"]["suites"]["sales_silver.orders"]["success"] is False


def lineage_events(argv: list[str], job: str) -> list[dict]:
    """The OpenLineage events a run with this command line kept in its lake's state folder."""
    state = local_path_of(argv[argv.index("--state_uri") + 1])
    return events_in(state / "lineage" / f"{job}.jsonl")


# ---- the whole pipeline as the Glue workflow runs it -------------------------------------
def test_a_stage_is_its_jobs_command_lines_one_after_another():
    assert command_lines(["a.py", "--x", "1", THEN, "b.py", "--y", "2"]) == [["a.py", "--x", "1"], ["b.py", "--y", "2"]]
    assert command_lines(["a.py"]) == [["a.py"]]


def workflow_stages(jobs: dict[str, DeployedJob]) -> list[list[DeployedJob]]:
    """The jobs as the workflow's triggers start them: the first stage on the schedule, each
    later one once every job it waits for succeeded."""
    stages: list[list[DeployedJob]] = []
    done: set[str] = set()
    while len(done) < len(jobs):
        stage = [job for job in jobs.values() if job.key not in done and set(job.after) <= done]
        assert stage, f"the workflow's jobs wait for each other: {sorted(set(jobs) - done)}"
        stages.append(stage)
        done |= {job.key for job in stage}
    return stages


def truncated_parquet(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"sku": ["SKU-9999"] * 50, "price": [1.5] * 50}), path)
    path.write_bytes(path.read_bytes()[:-40])  # the footer is gone


@pytest.mark.slow
def test_the_glue_workflow_run_of_the_scripts_builds_the_ground_truths_gold(spark, aws, tmp_path):
    secret = put_secret(SECRET_NAME, PII_KEY)
    jobs = deployed_jobs()
    arguments = {key: local_arguments(job, tmp_path, secret) for key, job in jobs.items()}
    bronze = Path(arguments["sales_bronze_to_silver"]["--bronze_uri"].removeprefix("file:"))
    truth = write_sample_lake(bronze, tmp_path / "truth", GeneratorSettings(orders=60, days=2, seed=3))
    poison = bronze / PRODUCTS_SOURCE.prefix / "ingest_date=2026-01-02" / "products_truncated.parquet"
    truncated_parquet(poison)

    calls = tmp_path / "glue-calls.jsonl"
    environment = os.environ | {CALLS_VARIABLE: str(calls)}  # the AWS variables `aws` set
    stages = workflow_stages(jobs)
    assert [[job.key for job in stage] for stage in stages] == [
        ["customer_bronze_to_silver", "product_bronze_to_silver"],
        ["sales_bronze_to_silver"],
        ["customer_silver_to_gold", "product_silver_to_gold", "sales_silver_to_gold"],
    ]
    # One process runs the stages in order, each job its own `__main__` with Glue's command line:
    # here the catalog is the lake's embedded Derby metastore, which one process opens at a
    # time (on Glue each job run has its own process, and a stage's jobs run side by side).
    command: list[str] = []
    for n, job in enumerate(job for stage in stages for job in stage):
        argv = glue_command_line(job, arguments[job.key], f"jr_{n}", ORDERS[n % len(ORDERS)])
        command += [THEN, *argv] if command else argv
    finished = subprocess.run(
        [sys.executable, "-m", "local.runner.glue_run", *command],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    records = {}
    for n, job in enumerate(job for stage in stages for job in stage):
        state = local_path_of(arguments[job.key]["--state_uri"])
        records[job.key] = RunRecord.from_json(json.loads((state / "runs" / job.key / f"jr_{n}.json").read_text()))

    assert sorted(call[0] for call in recorded_calls(calls)) == sorted(["GlueContext", "Job.init", "Job.commit"] * 6)
    outputs = {name: uri for record in records.values() for name, uri in record.outputs.items()}
    for table in GOLD_TABLES:
        rows = spark.read.parquet(outputs[table.qualified_name]).collect()
        assert gold_differences(rows, truth[table.name], table) == [], table.qualified_name
    quarantine = outputs[QUARANTINE_TABLES[PRODUCTS_SOURCE.domain].qualified_name]
    unreadable = spark.read.parquet(quarantine).where("reject_reason = 'UNREADABLE_FILE'")
    assert [r.source_file for r in unreadable.collect()] == [str(poison.relative_to(bronze))]
    assert_the_runs_figures_are_in_cloudwatch(records)
    assert_each_run_sent_its_lineage(
        records, {job.key: glue_command_line(job, arguments[job.key], "") for job in jobs.values()}
    )


def assert_each_run_sent_its_lineage(records: dict[str, RunRecord], argv: dict[str, list[str]]) -> None:
    """Each run's OpenLineage events: START then COMPLETE of one run; it read exactly the landed
    sources and published tables its job is declared to touch, wrote what its record says, and
    its ledger facet is its record's."""
    touches = {job.name: job.touches() for job in DOMAIN_JOBS}
    for job, record in records.items():
        start, complete = lineage_events(argv[job], job)
        assert (start["eventType"], complete["eventType"]) == ("START", "COMPLETE")
        assert start["run"]["runId"] == complete["run"]["runId"]
        assert complete["run"]["facets"]["salesDataLake_run"]["runId"] == record.run_id
        declared = {s.qualified_name for s in touches[job].sources} | {t.qualified_name for t in touches[job].reads}
        assert symlinked_tables(complete["inputs"]) == declared, job
        assert symlinked_tables(complete["outputs"]) == set(record.outputs), job
        ledger = complete["run"]["facets"].get("salesDataLake_ledger", {"datasets": {}})["datasets"]
        assert {d: (v["rowsIn"], v["rowsSilver"], v["files"]) for d, v in ledger.items()} == {
            d: (v.rows_in, v.rows_silver, v.files) for d, v in record.ledger.items()
        }


def assert_the_runs_figures_are_in_cloudwatch(records: dict[str, RunRecord]) -> None:
    """Each job run sent its figures to the CloudWatch endpoint the environment names (moto),
    with their dimensions; read back, they are the run record's, and every alarm's metric is
    there with exactly the alarm's dimensions."""
    assert {dimensions["Job"] for dimensions in metrics_listed("RunSeconds")} == set(records)
    for job, record in records.items():
        assert record.cloudwatch is not None and record.cloudwatch.startswith("sent ")
        run = {"Job": job, "Domain": job.split("_", 1)[0]}
        for dataset, ledger in record.ledger.items():
            assert metric_sum("RecordsIn", run | {"Dataset": dataset}) == ledger.rows_in
            for reason, n in ledger.quarantined_by_reason.items():
                assert metric_sum("RecordsQuarantined", run | {"Dataset": dataset, "Reason": reason}) == n
        for suite, verdict in record.quality.items():
            assert metric_sum("QualitySuiteFailed", run | {"Suite": suite}) == (0 if verdict.success else 1)
        for result in record.sla:
            level = run | {"Product": result.product, "Property": result.property}
            assert metric_sum("SlaBreached", level) == (0 if result.met else 1)
        assert metric_sum("BytesRead", run) == sum(record.bytes_read.values())
        # The run history's own rows are written after the figures are sent.
        history = {t(job.split("_", 1)[0]).qualified_name for t in (job_runs_table, run_figures_table)}
        written = sum(n for table, n in record.bytes_written.items() if table not in history)
        assert metric_sum("BytesWritten", run) == written > 0
        # Priced at the size Terraform gives the job (its --worker_type and --number_of_workers).
        size = deployed_jobs()[job].default_arguments
        workers, worker_type = int(size["--number_of_workers"]), size["--worker_type"]
        assert record.estimated_usd == round(estimated_cost(record.seconds or 0, workers, worker_type).usd, 6)
        assert metric_sum("EstimatedCost", run) == pytest.approx(record.estimated_usd)
    assert all(sum(records[job].bytes_read.values()) > 0 for job in records if job.endswith("bronze_to_silver"))
    product_run = {"Job": "product_bronze_to_silver", "Domain": "product", "Dataset": "products"}
    assert metric_sum("RecordsQuarantined", product_run | {"Reason": "UNREADABLE_FILE"}) >= 1
    for alarm in lake_alarms():
        assert alarm["dimensions"] in metrics_listed(alarm["metric_name"]), alarm["alarm_name"]
