"""What a job does on AWS, as (action, resource) needs: the one list the deployed policies are
checked against (tests/test_infra_permissions.py renders infra/ and evaluates each need
against the job role's policy and the KMS key policy, with Allow/Deny semantics).

Built from the configuration the job resolves on Glue, so a new layer URI, table or secret
changes the needs with it. Keep it next to the calls: a new kind of AWS call adds a need here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from jobs.runtime.config import LakeConfig
from transforms.contract_types import TableContract

# What the code does with each layer: read it, or also write and delete (snapshots, vacuum).
READS = ("bronze",)
WRITES = ("silver", "quarantine", "gold", "state")
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
# Every object in the lake's buckets is SSE-KMS; the secret is encrypted with the same key.
KEY_USE = ("kms:Decrypt", "kms:GenerateDataKey")


@dataclass(frozen=True)
class Need:
    action: str
    resource: str
    why: str
    context: tuple[tuple[str, str], ...] = ()  # the request's condition keys: (key, value)


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


def s3_needs(config: LakeConfig, deployment: Deployment) -> list[Need]:
    needs = []
    uris = {layer: config.layer_uri(layer) for layer in READS + WRITES} | {"temp": deployment.temp_dir}
    for layer, uri in uris.items():
        actions = OBJECT_READ if layer in READS else OBJECT_WRITE
        bucket, _ = _bucket_and_key(uri)
        needs.append(Need("s3:ListBucket", f"arn:aws:s3:::{bucket}", f"list {layer}"))
        needs += [Need(action, object_arn(uri), f"{layer} objects") for action in actions]
        needs += [Need(action, deployment.key_arn, f"{layer} objects are SSE-KMS") for action in KEY_USE]
    return needs


def catalog_needs(deployment: Deployment, tables: Sequence[TableContract]) -> list[Need]:
    arn = f"arn:aws:glue:{deployment.region}:{deployment.account}"
    needs = [Need(a, f"{arn}:catalog", "the Data Catalog") for a in CATALOG_DATABASE + CATALOG_TABLE]
    needs += [Need(a, f"{arn}:database/default", "the catalog client opens `default`") for a in CATALOG_DATABASE]
    for table in tables:
        needs += [Need(a, f"{arn}:database/{table.database}", table.qualified_name) for a in CATALOG_DATABASE]
        needs += [Need(a, f"{arn}:database/{table.database}", table.qualified_name) for a in CATALOG_TABLE]
        needs += [Need(a, f"{arn}:table/{table.database}/{table.name}", table.qualified_name) for a in CATALOG_TABLE]
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
    return [
        Need("secretsmanager:GetSecretValue", config.pii_hash_key_secret, "the PII hash key"),
        Need("kms:Decrypt", deployment.key_arn, "the PII hash key's secret is encrypted"),
    ]


def job_needs(config: LakeConfig, deployment: Deployment, tables: Sequence[TableContract]) -> list[Need]:
    """Everything a Glue run of a lake job does on AWS, with the lake's `tables`."""
    return (
        s3_needs(config, deployment)
        + catalog_needs(deployment, tables)
        + log_needs(deployment)
        + metric_needs()
        + secret_needs(config, deployment)
    )
