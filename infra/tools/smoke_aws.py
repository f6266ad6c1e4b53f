"""`make smoke-aws`: one real run of the lake in a sandbox AWS account. Never run in CI.

Applies infra/ in a Terraform workspace of its own with a unique name, puts a PII key into the
secret, lands one small day of every source (CSV, JSON lines, Parquet, Avro) plus a truncated
Parquet file in bronze, starts the Glue workflow and waits for it, counts every gold table
with Athena against the generator's ground truth, reads the alarms' states, and destroys
everything, whatever happened. Needs a terraform binary, AWS credentials for a sandbox
account, and `make package` (the wheel the jobs load).

The boto3 half (`SmokeRun`) is tested against a moto server (tests/unit/test_smoke_aws.py); the
Terraform half is a few subprocess calls.
"""

from __future__ import annotations

import io
import json
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from local.sample.generator import GeneratorSettings, generate
from transforms.contracts import GOLD_TABLES, PRODUCTS_SOURCE

INFRA = Path(__file__).resolve().parents[1]
SETTINGS = GeneratorSettings(orders=40, days=1, seed=11)
CORRUPT_FILE = f"{PRODUCTS_SOURCE.prefix}/ingest_date={SETTINGS.start}/products_truncated.parquet"
FINISHED = ("COMPLETED", "STOPPED", "ERROR")


def truncated_parquet() -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table({"sku": ["SKU-9999"] * 20, "price": [1.0] * 20}), buffer)
    return buffer.getvalue()[:-40]  # no footer: unreadable


def smoke_files() -> tuple[dict[str, bytes], dict[str, int]]:
    """Bronze files ({key: bytes}) and the gold row counts they must give."""
    files, truth = generate(SETTINGS)
    expected = {table.qualified_name: len(truth[table.name]) for table in GOLD_TABLES}
    return files | {CORRUPT_FILE: truncated_parquet()}, expected


@dataclass(frozen=True)
class Sandbox:
    """What Terraform created, from `terraform output -json`."""

    buckets: dict[str, str]
    workflow: str
    jobs: dict[str, str]
    workgroup: str
    secret_arn: str
    alarm_prefix: str

    @classmethod
    def from_outputs(cls, outputs: dict[str, Any]) -> Sandbox:
        value = {name: output["value"] for name, output in outputs.items()}
        return cls(
            buckets=value["bucket_names"],
            workflow=value["pipeline_workflow"],
            jobs=value["glue_jobs"],
            workgroup=value["athena_workgroup"],
            secret_arn=value["pii_key_secret_arn"],
            alarm_prefix=value["pipeline_workflow"].removesuffix("-pipeline"),
        )


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def check(self, ok: bool, what: str) -> None:
        self.lines.append(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            self.failures.append(what)


class SmokeRun:
    """The steps that talk to AWS, each one boto3 call or a wait on one."""

    def __init__(self, clients: Callable[[str], Any], sleep: Callable[[float], None] = time.sleep, poll_seconds=30.0):
        self.s3, self.glue, self.athena = clients("s3"), clients("glue"), clients("athena")
        self.cloudwatch, self.secrets = clients("cloudwatch"), clients("secretsmanager")
        self.sleep, self.poll_seconds = sleep, poll_seconds

    def put_pii_key(self, sandbox: Sandbox) -> None:
        self.secrets.put_secret_value(SecretId=sandbox.secret_arn, SecretString=secrets.token_hex(32))

    def land(self, sandbox: Sandbox, files: dict[str, bytes]) -> None:
        for key, content in sorted(files.items()):
            self.s3.put_object(Bucket=sandbox.buckets["bronze"], Key=key, Body=content)

    def run_pipeline(self, sandbox: Sandbox, timeout_seconds: float) -> str:
        """Start the workflow and wait until it ends; its final status."""
        run_id = self.glue.start_workflow_run(Name=sandbox.workflow)["RunId"]
        waited = 0.0
        while True:
            status = self.glue.get_workflow_run(Name=sandbox.workflow, RunId=run_id)["Run"]["Status"]
            if status in FINISHED or waited >= timeout_seconds:
                return status
            self.sleep(self.poll_seconds)
            waited += self.poll_seconds

    def job_states(self, sandbox: Sandbox) -> dict[str, str]:
        states = {}
        for job in sandbox.jobs.values():
            runs = self.glue.get_job_runs(JobName=job, MaxResults=1)["JobRuns"]
            states[job] = runs[0]["JobRunState"] if runs else "NEVER RAN"
        return states

    def count(self, sandbox: Sandbox, table: str, timeout_seconds: float = 300) -> int | None:
        query = self.athena.start_query_execution(
            QueryString=f"SELECT count(*) FROM {table}", WorkGroup=sandbox.workgroup
        )
        execution_id, waited = query["QueryExecutionId"], 0.0
        while True:
            state = self.athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]["Status"]["State"]
            if state == "SUCCEEDED":
                rows = self.athena.get_query_results(QueryExecutionId=execution_id)["ResultSet"]["Rows"]
                return int(rows[1]["Data"][0]["VarCharValue"])  # rows[0] is the header
            if state in ("FAILED", "CANCELLED") or waited >= timeout_seconds:
                return None
            self.sleep(2)
            waited += 2

    def alarms_in_alarm(self, sandbox: Sandbox) -> list[str]:
        alarms = self.cloudwatch.describe_alarms(AlarmNamePrefix=sandbox.alarm_prefix)["MetricAlarms"]
        return sorted(a["AlarmName"] for a in alarms if a["StateValue"] == "ALARM")

    def empty_buckets(self, sandbox: Sandbox) -> int:
        """Delete every object version in the sandbox's buckets, so that destroy can remove
        them (the buckets are versioned); how many were deleted."""
        deleted = 0
        for bucket in sandbox.buckets.values():
            pages = self.s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
            for page in pages:
                versions = page.get("Versions", []) + page.get("DeleteMarkers", [])
                if versions:
                    objects = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]
                    self.s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
                    deleted += len(objects)
        return deleted

    def smoke(self, sandbox: Sandbox, timeout_seconds: float = 3600) -> Report:
        files, expected = smoke_files()
        report = Report()
        self.put_pii_key(sandbox)
        self.land(sandbox, files)
        report.lines.append(
            f"landed {len(files)} files in s3://{sandbox.buckets['bronze']} (one truncated Parquet file)"
        )
        status = self.run_pipeline(sandbox, timeout_seconds)
        report.check(status == "COMPLETED", f"workflow {sandbox.workflow} ended {status}")
        for job, state in self.job_states(sandbox).items():
            report.check(state == "SUCCEEDED", f"job {job}: {state}")
        for table, rows in expected.items():
            counted = self.count(sandbox, table)
            report.check(counted == rows, f"{table}: {counted} rows in Athena, {rows} expected")
        alarming = self.alarms_in_alarm(sandbox)
        report.check(not alarming, f"alarms in ALARM: {', '.join(alarming) or 'none'}")
        return report


# ---- the Terraform half -------------------------------------------------------------------
def terraform(*arguments: str, capture: bool = False) -> str:
    done = subprocess.run(["terraform", f"-chdir={INFRA}", *arguments], check=True, text=True, capture_output=capture)
    return done.stdout if capture else ""


def sandbox_settings(account: str, region: str, name: str) -> dict[str, Any]:
    purposes = ("bronze", "silver", "gold", "logs", "artifacts", "athena_results")
    return {
        "account_id": account,
        "region": region,
        "project": "sdl",
        "environment": name,
        "bucket_names": {p: f"sdl-{name}-{p.replace('_', '-')}-{account}" for p in purposes},
        "alarm_email": "",
    }


def main() -> int:
    import boto3

    session = boto3.session.Session()
    account = session.client("sts").get_caller_identity()["Account"]
    name = "smoke" + secrets.token_hex(3)
    settings = INFRA / f".smoke-{name}.tfvars.json"
    settings.write_text(json.dumps(sandbox_settings(account, session.region_name, name)))
    print(f"sandbox sdl-{name} in account {account}, {session.region_name}")
    terraform("init", "-input=false")
    terraform("workspace", "new", name)
    run = SmokeRun(session.client)
    sandbox = None
    try:
        terraform("apply", "-input=false", "-auto-approve", f"-var-file={settings}")
        sandbox = Sandbox.from_outputs(json.loads(terraform("output", "-json", capture=True)))
        report = run.smoke(sandbox)
    finally:
        if sandbox is not None:
            run.empty_buckets(sandbox)
        terraform("destroy", "-input=false", "-auto-approve", f"-var-file={settings}")
        terraform("workspace", "select", "default")
        terraform("workspace", "delete", name)
        settings.unlink()
    print("\n".join(report.lines))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
