"""What a job does on AWS, as (action, resource) needs: the one list the deployed policies are
checked against (tests/test_infra_permissions.py renders infra/ and evaluates each need
against the job role's policy and the KMS key policy, with Allow/Deny semantics).

Built from the configuration the job resolves on Glue and what the run touches (its sources,
the tables it writes and reads, whose changes it reads: `Touches`, which jobs.pipeline gives
for each domain's job), so a new layer URI, table, input or secret changes the needs with it.
Keep it next to the calls: a new kind of AWS call adds a need here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from jobs.runtime.config import LakeConfig
from transforms.contract_types import BronzeSource, TableContract

# The state a run keeps under state/<kind>/<its job>/ (run records, bookmarks, changes, quality).
STATE_KINDS = ("runs", "bookmarks", "changes", "quality")
OBJECT_READ = ("s3:GetObject",)
OBJECT_WRITE = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
# Spark SQL against the Glue Data Catalog (jobs.runtime.catalog): CREATE DATABASE IF NOT
# EXISTS, CREATE/DROP TABLE, ALTER TABLE ... ADD/DROP PARTITION and SET LOCATION, reads.
CATALOG_DATABASE = ("glue:GetDatabase", "glue:CreateDatabase")
CATALOG_TABLE = (
    "glue:GetTable",
    "glue:CreateTable",
    "glue:UpdateTable",
    "glue:DeleteTable",
    "glue:GetPartitions",
    "glue:BatchCreatePartition",
    "glue:UpdatePartition",
    "glue:BatchDeletePartition",
)
# Reading a published table: its location and partitions (jobs.runtime.tables).
CATALOG_READ = ("glue:GetDatabase", "glue:GetTable", "glue:GetPartitions")
# Every object in the lake's buckets is SSE-KMS; the secret is encrypted with the same key.
KEY_USE = ("kms:Decrypt", "kms:GenerateDataKey")


@dataclass(frozen=True)
class Need:
    action: str
    resource: str
    why: str
    context: tuple[tuple[str, str], ...] = ()  # the request's condition keys: (key, value)


@dataclass(frozen=True)
class Touches:
    """What one job run reads and writes, by name."""

    job: str  # the run's name: its state paths
    sources: Sequence[BronzeSource] = ()  # landed files it reads
    writes: Sequence[TableContract] = ()  # tables it publishes (and its quarantine)
    reads: Sequence[TableContract] = ()  # published tables it reads
    upstream_jobs: Sequence[str] = ()  # jobs whose change records it reads


@dataclass(frozen=True)
class Deployment:
    """Where the job runs: what only the deployment knows."""

    region: str
    account: str
    key_arn: str
    log_group_prefix: str  # --custom-logGroup-prefix
    temp_dir: str  # --TempDir


def _bucket_and_key(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    return parsed.netloc, parsed.path.strip("/")


def object_arn(uri: str, name: str = "part-00000.parquet") -> str:
    bucket, prefix = _bucket_and_key(uri)
    return f"arn:aws:s3:::{bucket}/{prefix + '/' if prefix else ''}{name}"


def _objects(uri: str, actions: Sequence[str], why: str, key_arn: str) -> list[Need]:
    bucket, _ = _bucket_and_key(uri)
    needs = [Need("s3:ListBucket", f"arn:aws:s3:::{bucket}", f"list {why}")]
    needs += [Need(action, object_arn(uri), why) for action in actions]
    return needs + [Need(action, key_arn, f"{why}: SSE-KMS") for action in KEY_USE]


def s3_needs(config: LakeConfig, deployment: Deployment, touches: Touches) -> list[Need]:
    key, needs = deployment.key_arn, []
    for source in touches.sources:
        needs += _objects(config.source_uri(source), OBJECT_READ, f"landed {source.qualified_name}", key)
    for table in touches.writes:
        needs += _objects(config.table_uri(table), OBJECT_WRITE, f"publish {table.qualified_name}", key)
    for table in touches.reads:
        needs += _objects(config.table_uri(table), OBJECT_READ, f"read {table.qualified_name}", key)
    for kind in STATE_KINDS:
        needs += _objects(config.state_path(kind, touches.job), OBJECT_WRITE, f"the run's {kind}", key)
    for upstream in touches.upstream_jobs:
        needs += _objects(config.state_path("changes", upstream), OBJECT_READ, f"changes of {upstream}", key)
    return needs + _objects(deployment.temp_dir, OBJECT_WRITE, "Glue's temporary folder", key)


def _catalog(arn: str, table: TableContract, actions: Sequence[str]) -> list[Need]:
    """Glue authorizes a table call on the catalog, the database and the table."""
    resources = (f"{arn}:database/{table.database}", f"{arn}:table/{table.database}/{table.name}")
    return [Need(a, resource, table.qualified_name) for resource in resources for a in actions]


def catalog_needs(deployment: Deployment, touches: Touches) -> list[Need]:
    arn = f"arn:aws:glue:{deployment.region}:{deployment.account}"
    needs = [Need(a, f"{arn}:catalog", "the Data Catalog") for a in CATALOG_DATABASE + CATALOG_TABLE]
    needs += [Need(a, f"{arn}:database/default", "the catalog client opens `default`") for a in CATALOG_DATABASE]
    for table in touches.writes:
        needs += _catalog(arn, table, CATALOG_DATABASE + CATALOG_TABLE)
    for table in touches.reads:
        needs += _catalog(arn, table, CATALOG_READ)
    return needs


def log_needs(deployment: Deployment) -> list[Need]:
    arn = f"arn:aws:logs:{deployment.region}:{deployment.account}:log-group:{deployment.log_group_prefix}"
    return [
        Need(action, f"{arn}/{group}:log-stream:jr_0-driver", f"Glue 6.0 writes the job's {group}")
        for group in ("output", "error")
        for action in ("logs:CreateLogStream", "logs:PutLogEvents")
    ]


def metric_needs() -> list[Need]:
    # Glue publishes the job's metrics (--enable-metrics) under the job's role.
    return [Need("cloudwatch:PutMetricData", "*", "Glue job metrics", (("cloudwatch:namespace", "Glue"),))]


def secret_needs(config: LakeConfig, deployment: Deployment) -> list[Need]:
    if not config.pii_hash_key_secret:  # a job that hashes no PII is not given the secret
        return []
    return [
        Need("secretsmanager:GetSecretValue", config.pii_hash_key_secret, "the PII hash key"),
        Need("kms:Decrypt", deployment.key_arn, "the PII hash key's secret is encrypted"),
    ]


def job_needs(config: LakeConfig, deployment: Deployment, touches: Touches) -> list[Need]:
    """Everything a Glue run of a lake job does on AWS, touching what `touches` names."""
    return (
        s3_needs(config, deployment, touches)
        + catalog_needs(deployment, touches)
        + log_needs(deployment)
        + metric_needs()
        + secret_needs(config, deployment)
    )
