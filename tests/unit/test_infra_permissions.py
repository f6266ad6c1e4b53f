"""What the jobs do on AWS (jobs/runtime/aws_needs.py), evaluated against the policies infra/
renders: each domain's job needs what its run touches, allowed by its own role's policies,
and a KMS need also by the key policy (a key policy that does not delegate to IAM makes every
IAM grant void). And the boundaries between domains: a producer role writes only its own
domain's products, reads another domain's only where that product's contract grants it, and
analysts read only what the contracts grant them (gold)."""

from __future__ import annotations

import copy

import hcl2
import pytest

from jobs.pipeline import DOMAIN_JOBS
from jobs.runtime.aws_needs import OBJECT_WRITE, Deployment, Need, job_needs, object_arn
from jobs.runtime.config import config_from_arguments
from tests.helpers.infra_model import (
    INFRA,
    DeployedJob,
    block,
    deployed_jobs,
    identity_decision,
    key_policy_allows,
    policy_statements,
    resolve,
    role_statements,
    settings,
)
from transforms.contracts import ALL_TABLES

KEY_POLICY = "module.kms.data.aws_iam_policy_document.key"
GLUE_LOG_GROUP_PREFIX = "/aws-glue/jobs"  # where Glue 5.0+ writes without --custom-logGroup-prefix
PRODUCERS = ("sales-producer", "customer-producer", "product-producer")
TABLE_WRITES = ("glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:BatchCreatePartition")


def deployed_config(job: DeployedJob):
    return config_from_arguments({name.removeprefix("--"): value for name, value in job.default_arguments.items()})


def needs_of(job: DeployedJob) -> list[Need]:
    values = settings()
    deployment = Deployment(
        region=values["region"],
        account=values["account"],
        key_arn=resolve(values["kms_key_arn"]),
        log_group_prefix=job.default_arguments.get("--custom-logGroup-prefix", GLUE_LOG_GROUP_PREFIX),
        temp_dir=job.default_arguments["--TempDir"],
    )
    (code_job,) = [j for j in DOMAIN_JOBS if j.name == job.key]  # the job the code runs under that name
    return job_needs(deployed_config(job), deployment, code_job.touches())


def unmet(job: DeployedJob, identity: list[dict], key_policy: list[dict]) -> list[str]:
    values = settings()
    role_arn = f"arn:aws:iam::{values['account']}:role/{values['name']}-{job.role}"
    problems = []
    for need in needs_of(job):
        decision = identity_decision(identity, need.action, need.resource, dict(need.context))
        if decision != "Allow":
            problems.append(f"{job.key}: {need.action} on {need.resource} ({need.why}): role policy says {decision}")
        if need.action.startswith("kms:") and not key_policy_allows(
            key_policy, need.action, role_arn, values["account"]
        ):
            problems.append(f"{job.key}: {need.action} on the lake key ({need.why}): the key policy does not allow it")
    return sorted(set(problems))


@pytest.fixture(scope="module")
def key_policy() -> list[dict]:
    return block("aws_iam_policy_document", KEY_POLICY)["statement"]


def job(key: str) -> DeployedJob:
    return deployed_jobs()[key]


def test_every_call_each_domains_job_makes_is_allowed_by_its_own_role_and_the_key(key_policy):
    jobs = deployed_jobs()
    assert sorted(jobs) == sorted(j.name for j in DOMAIN_JOBS)
    for deployed in jobs.values():
        needs = needs_of(deployed)
        assert len(needs) > 50  # the list is not empty: the check can fail
        assert unmet(deployed, role_statements(deployed.role), key_policy) == []


def test_a_job_under_another_domains_role_is_refused_what_only_its_own_role_grants(key_policy):
    sales = job("sales_bronze_to_silver")
    problems = unmet(sales, role_statements("customer-producer"), key_policy)
    assert any("s3:PutObject on arn:aws:s3:::sdl-dev-silver-123456789012/silver/sales/orders/" in p for p in problems)
    assert any(
        "glue:UpdateTable on arn:aws:glue:eu-west-1:123456789012:table/sales_silver/orders" in p for p in problems
    )


def test_a_missing_grant_is_named(key_policy):
    identity = [s for s in role_statements("sales-producer") if s.get("sid") != "GrantedProductsCatalog"]
    problems = unmet(job("sales_bronze_to_silver"), identity, key_policy)
    assert problems and all("customer_silver" in p or "product_silver" in p for p in problems)
    assert any(
        "glue:GetTable on arn:aws:glue:eu-west-1:123456789012:table/customer_silver/customers" in p for p in problems
    )


def test_a_key_policy_that_only_administers_the_key_voids_the_iam_grants(key_policy):
    administers_only = copy.deepcopy(key_policy)
    for statement in administers_only:  # the key policy before this check existed
        statement["actions"] = [a for a in statement["actions"] if a not in ("kms:Decrypt", "kms:GenerateDataKey")]
    problems = unmet(job("customer_bronze_to_silver"), role_statements("customer-producer"), administers_only)
    assert any("kms:Decrypt on the lake key (publish customer_silver.customers: SSE-KMS)" in p for p in problems)
    assert any("kms:Decrypt on the lake key (the PII hash key's secret is encrypted)" in p for p in problems)


def test_an_explicit_deny_wins_over_an_allow(key_policy):
    identity = role_statements("sales-producer") + [
        {"effect": "Deny", "actions": ["s3:PutObject"], "resources": ["arn:aws:s3:::*gold*/*"]}
    ]
    problems = unmet(job("sales_silver_to_gold"), identity, key_policy)
    assert problems and all("s3:PutObject" in p and "gold" in p and "Deny" in p for p in problems)


def test_a_condition_that_does_not_hold_does_not_allow(key_policy):
    identity = copy.deepcopy(role_statements("product-producer"))
    metrics = next(s for s in identity if s.get("sid") == "JobMetrics")
    metrics["condition"]["values"] = ["SalesDataLake"]  # Glue's own namespace left out
    assert unmet(job("product_silver_to_gold"), identity, key_policy) == [
        "product_silver_to_gold: cloudwatch:PutMetricData on * (Glue job metrics): role policy says NoMatch",
    ]


# ---- the boundaries between domains -----------------------------------------------------
def table_requests(table) -> dict[str, list[tuple[str, str]]]:
    """The S3 and catalog requests that read or write one table, as the jobs make them."""
    config = deployed_config(job("sales_bronze_to_silver"))
    values = settings()
    obj = object_arn(config.table_uri(table))
    glue = f"arn:aws:glue:{values['region']}:{values['account']}:table/{table.database}/{table.name}"
    return {
        "read": [("s3:GetObject", obj), ("glue:GetTable", glue), ("glue:GetPartitions", glue)],
        "write": [(a, obj) for a in OBJECT_WRITE if a != "s3:GetObject"] + [(a, glue) for a in TABLE_WRITES],
    }


def allowed(role: str, requests: list[tuple[str, str]]) -> list[str]:
    statements = role_statements(role)
    return [f"{a} {r}" for a, r in requests if identity_decision(statements, a, r) == "Allow"]


def test_a_producer_writes_its_own_domains_tables_and_no_other_domains():
    for role in PRODUCERS:
        domain = role.removesuffix("-producer")
        for table in ALL_TABLES:
            writes = table_requests(table)["write"]
            expected = writes if table.domain == domain else []
            assert allowed(role, writes) == [f"{a} {r}" for a, r in expected], (role, table.qualified_name)


def test_each_producer_reads_of_other_domains_exactly_what_their_contracts_grant_it():
    for role in PRODUCERS:
        domain = role.removesuffix("-producer")
        readable = {
            t.qualified_name
            for t in ALL_TABLES
            if t.domain != domain and len(allowed(role, table_requests(t)["read"])) == 3
        }
        granted = {t.qualified_name for t in ALL_TABLES if role in t.readers}
        assert readable == granted, role
    assert {t.qualified_name for t in ALL_TABLES if "customer-producer" in t.readers} == {
        "sales_silver.orders",
        "sales_silver.returns",
    }


def test_the_sales_role_cannot_write_customer_tables():
    for table in (t for t in ALL_TABLES if t.domain == "customer"):
        assert allowed("sales-producer", table_requests(table)["write"]) == []


def test_analysts_read_the_gold_products_and_no_silver_column_with_pii():
    pii_tables = [t for t in ALL_TABLES if t.classification]
    assert pii_tables and all(t.layer == "silver" for t in pii_tables)
    for table in ALL_TABLES:
        reads = allowed("analyst", table_requests(table)["read"])
        assert (len(reads) == 3) == (table.layer == "gold"), (table.qualified_name, reads)
        assert allowed("analyst", table_requests(table)["write"]) == []


def test_only_the_domains_that_hash_pii_read_its_key():
    secret = resolve(block("aws_iam_policy_document", "pii_hash_key")["statement"]["resources"][0])
    readers = {
        r for r in (*PRODUCERS, "analyst", "glue-crawler") if allowed(r, [("secretsmanager:GetSecretValue", secret)])
    }
    assert readers == {"customer-producer"}
    assert [j.key for j in deployed_jobs().values() if "--pii_hash_key_secret" in j.default_arguments] == [
        "customer_bronze_to_silver"
    ]


def test_each_role_gets_its_own_policy_the_reads_granted_to_it_and_the_pii_key_where_its_domain_hashes_pii():
    """The rule tests.helpers.infra_model.role_documents follows, read from the HCL itself."""
    with open(INFRA / "modules/iam/main.tf") as handle:
        parsed = hcl2.load(handle)
    role_policies = next(b["role_policies"] for b in parsed["locals"] if "role_policies" in b)
    assert "data.aws_iam_policy_document.producer[domain].json" in role_policies
    assert "data.aws_iam_policy_document.granted_reads[role].json" in role_policies
    assert "${domain}-producer/pii-hash-key" in role_policies and "var.pii_domains" in role_policies
    (policy,) = [r['"aws_iam_role_policy"']['"this"'] for r in parsed["resource"] if '"aws_iam_role_policy"' in r]
    assert policy["for_each"] == "${toset(keys(local.role_policies))}"
    assert policy_statements('granted_reads["analyst"]')  # rendered: the analyst is granted gold


def test_the_crawlers_log_group_is_the_one_glue_names_from_role_and_security_configuration():
    crawler_role = block("aws_iam_role", 'aws_iam_role.this["glue-crawler"]')["name"]
    security = block("aws_glue_security_configuration", "module.glue.aws_glue_security_configuration.this")["name"]
    group = block("aws_cloudwatch_log_group", 'aws_cloudwatch_log_group.this["crawlers"]')["name"]
    assert group == f"/aws-glue/crawlers-role/{crawler_role}-{security}"
