"""The boto3 half of `make smoke-aws` against a moto server on 127.0.0.1, with botocore's
parameter validation: what it lands, how it waits for the workflow, how it counts gold in
Athena and reads the alarms, and how it empties the buckets before destroy. The sandbox is
set up on moto the way Terraform's outputs describe it; the service's progress (the workflow
finishing, Athena's answers) is played by the test."""

from __future__ import annotations

import json
import urllib.request

import boto3
import pytest
from moto.glue.models import glue_backends

from infra.tools.smoke_aws import CORRUPT_FILE, Sandbox, SmokeRun, smoke_files
from tests.helpers.aws import AWS_TEST_REGION

ACCOUNT = "123456789012"  # moto's


@pytest.fixture
def sandbox(aws) -> Sandbox:
    outputs = {
        "bucket_names": {"bronze": "sdl-smoke1-bronze", "gold": "sdl-smoke1-gold"},
        "pipeline_workflow": "sdl-smoke1-pipeline",
        "glue_jobs": {
            "sales_bronze_to_silver": "sdl-smoke1-sales_bronze_to_silver",
            "sales_silver_to_gold": "sdl-smoke1-sales_silver_to_gold",
        },
        "athena_workgroup": "sdl-smoke1-analysts",
        "pii_key_secret_arn": "",
    }
    s3, glue = boto3.client("s3"), boto3.client("glue")
    for bucket in outputs["bucket_names"].values():
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": AWS_TEST_REGION})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    outputs["pii_key_secret_arn"] = boto3.client("secretsmanager").create_secret(Name="sdl-smoke1/pii-hash-key")["ARN"]
    for job in outputs["glue_jobs"].values():
        glue.create_job(
            Name=job, Role="arn:aws:iam::123456789012:role/sdl-smoke1-sales-producer", Command={"Name": "glueetl"}
        )
    glue.create_workflow(Name=outputs["pipeline_workflow"])
    boto3.client("athena").create_work_group(Name=outputs["athena_workgroup"])
    boto3.client("cloudwatch").put_metric_alarm(
        AlarmName="sdl-smoke1-sales_bronze_to_silver-quality-gate-failed",
        Namespace="SalesDataLake",
        MetricName="QualitySuitesFailed",
        Dimensions=[{"Name": "Job", "Value": "sales_bronze_to_silver"}, {"Name": "Domain", "Value": "sales"}],
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=0,
        ComparisonOperator="GreaterThanThreshold",
    )
    return Sandbox.from_outputs({name: {"value": value} for name, value in outputs.items()})


def athena_answers(endpoint: str, counts: list[int]) -> None:
    """Queue the answers Athena gives the next count queries, in order (moto's own API)."""
    results = [{"rows": [{"Data": [{"VarCharValue": "_col0"}]}, {"Data": [{"VarCharValue": str(n)}]}]} for n in counts]
    body = json.dumps({"account_id": ACCOUNT, "region": AWS_TEST_REGION, "results": results}).encode()
    request = urllib.request.Request(f"{endpoint}/moto-api/static/athena/query-results", data=body, method="POST")
    urllib.request.urlopen(request).close()


def glue_service(sandbox: Sandbox, ends: str):
    """A `sleep` that plays Glue: on the first wait, the workflow starts the jobs and ends."""

    def sleep(_seconds: float) -> None:
        glue = boto3.client("glue")
        runs = glue_backends[ACCOUNT][AWS_TEST_REGION].workflows[sandbox.workflow].runs
        for run in runs.values():
            if run.status == "RUNNING":
                for job in sandbox.jobs.values():
                    glue.start_job_run(JobName=job)
                run.status = ends

    return sleep


def test_a_smoke_run_lands_every_format_waits_for_the_workflow_and_counts_gold(sandbox, moto_endpoint):
    files, expected = smoke_files()
    athena_answers(moto_endpoint, list(expected.values()))
    report = SmokeRun(boto3.client, sleep=glue_service(sandbox, "COMPLETED"), poll_seconds=1).smoke(sandbox)

    assert report.failures == [], report.lines
    landed = boto3.client("s3").list_objects_v2(Bucket=sandbox.buckets["bronze"])["Contents"]
    assert sorted(o["Key"] for o in landed) == sorted(files) and CORRUPT_FILE in files
    assert {key.rsplit(".", 1)[-1] for key in files} == {"csv", "jsonl", "parquet", "avro"}
    key = boto3.client("secretsmanager").get_secret_value(SecretId=sandbox.secret_arn)["SecretString"]
    assert len(key) == 64
    assert any("sales_gold.daily_sales" in line and "ok" in line for line in report.lines)


def test_a_stopped_workflow_a_wrong_count_and_an_alarm_each_fail_the_smoke_run(sandbox, moto_endpoint):
    _, expected = smoke_files()
    counts = list(expected.values())
    athena_answers(moto_endpoint, [counts[0] + 1, *counts[1:]])
    boto3.client("cloudwatch").set_alarm_state(
        AlarmName="sdl-smoke1-sales_bronze_to_silver-quality-gate-failed",
        StateValue="ALARM",
        StateReason="a seeded failure",
    )
    report = SmokeRun(boto3.client, sleep=glue_service(sandbox, "STOPPED"), poll_seconds=1).smoke(sandbox)
    first = next(iter(expected))
    assert report.failures == [
        "workflow sdl-smoke1-pipeline ended STOPPED",
        f"{first}: {counts[0] + 1} rows in Athena, {counts[0]} expected",
        "alarms in ALARM: sdl-smoke1-sales_bronze_to_silver-quality-gate-failed",
    ]


def test_the_buckets_are_emptied_of_every_version_before_destroy(sandbox):
    s3 = boto3.client("s3")
    for version in ("one", "two"):
        s3.put_object(Bucket=sandbox.buckets["gold"], Key="sales/daily_sales/x.parquet", Body=version.encode())
    s3.delete_object(Bucket=sandbox.buckets["gold"], Key="sales/daily_sales/x.parquet")  # a delete marker
    assert SmokeRun(boto3.client).empty_buckets(sandbox) == 3
    assert "Versions" not in s3.list_object_versions(Bucket=sandbox.buckets["gold"])
