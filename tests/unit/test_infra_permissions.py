"""What the jobs do on AWS (jobs/runtime/aws_needs.py), evaluated against the policies infra/
renders: each need must be allowed by the job role's policy, and a KMS need also by the key
policy (a key policy that does not delegate to IAM makes every IAM grant void)."""

from __future__ import annotations

import copy

import pytest

from jobs.runtime.aws_needs import Deployment, Need, job_needs
from jobs.runtime.config import config_from_arguments
from tests.helpers.infra_model import block, deployed_jobs, identity_decision, key_policy_allows, resolve, settings
from transforms.contracts import ALL_TABLES

JOB_POLICY = "module.iam.data.aws_iam_policy_document.job"
KEY_POLICY = "module.kms.data.aws_iam_policy_document.key"
GLUE_LOG_GROUP_PREFIX = "/aws-glue/jobs"  # where Glue 5.0+ writes without --custom-logGroup-prefix


def needs_of_deployed_jobs() -> dict[str, list[Need]]:
    values = settings()
    found = {}
    for job in deployed_jobs().values():
        arguments = {name.removeprefix("--"): value for name, value in job.default_arguments.items()}
        deployment = Deployment(
            region=values["region"],
            account=values["account"],
            key_arn=resolve(values["kms_key_arn"]),
            log_group_prefix=arguments.get("custom-logGroup-prefix", GLUE_LOG_GROUP_PREFIX),
            temp_dir=arguments["TempDir"],
        )
        found[job.key] = job_needs(config_from_arguments(arguments), deployment, ALL_TABLES)
    return found


def unmet(needs: dict[str, list[Need]], identity: list[dict], key_policy: list[dict]) -> list[str]:
    values = settings()
    job_role = block("aws_iam_role", 'aws_iam_role.this["glue-job"]')["name"]
    role_arn = f"arn:aws:iam::{values['account']}:role/{job_role}"
    problems = []
    for job, job_need_list in needs.items():
        for need in job_need_list:
            decision = identity_decision(identity, need.action, need.resource, dict(need.context))
            if decision != "Allow":
                problems.append(f"{job}: {need.action} on {need.resource} ({need.why}): role policy says {decision}")
            if need.action.startswith("kms:") and not key_policy_allows(
                key_policy, need.action, role_arn, values["account"]
            ):
                problems.append(f"{job}: {need.action} on the lake key ({need.why}): the key policy does not allow it")
    return sorted(set(problems))


@pytest.fixture(scope="module")
def policies():
    return block("aws_iam_policy_document", JOB_POLICY)["statement"], block("aws_iam_policy_document", KEY_POLICY)[
        "statement"
    ]


def test_every_call_the_jobs_make_is_allowed_by_the_role_and_the_key(policies):
    needs = needs_of_deployed_jobs()
    assert sum(len(n) for n in needs.values()) > 100  # the list is not empty: the check can fail
    assert unmet(needs, *policies) == []


def test_a_missing_grant_is_named(policies):
    identity, key_policy = copy.deepcopy(policies)
    identity = [s for s in identity if s.get("sid") != "DefaultDatabaseAtStart"]
    problems = unmet(needs_of_deployed_jobs(), identity, key_policy)
    assert problems and all("database/default" in p for p in problems)
    assert any("glue:CreateDatabase on arn:aws:glue:eu-west-1:123456789012:database/default" in p for p in problems)


def test_a_key_policy_that_only_administers_the_key_voids_the_iam_grants(policies):
    identity, key_policy = copy.deepcopy(policies)
    for statement in key_policy:  # the key policy before this check existed
        statement["actions"] = [a for a in statement["actions"] if a not in ("kms:Decrypt", "kms:GenerateDataKey")]
    problems = unmet(needs_of_deployed_jobs(), identity, key_policy)
    assert any("kms:Decrypt on the lake key (silver objects are SSE-KMS)" in p for p in problems)
    assert any("kms:Decrypt on the lake key (the PII hash key's secret is encrypted)" in p for p in problems)


def test_an_explicit_deny_wins_over_an_allow(policies):
    identity, key_policy = copy.deepcopy(policies)
    identity.append({"effect": "Deny", "actions": ["s3:PutObject"], "resources": ["arn:aws:s3:::*gold*/*"]})
    problems = unmet(needs_of_deployed_jobs(), identity, key_policy)
    assert problems and all("s3:PutObject" in p and "gold" in p and "Deny" in p for p in problems)


def test_the_crawlers_log_group_is_the_one_glue_names_from_role_and_security_configuration():
    crawler_role = block("aws_iam_role", 'aws_iam_role.this["glue-crawler"]')["name"]
    security = block("aws_glue_security_configuration", "module.glue.aws_glue_security_configuration.this")["name"]
    group = block("aws_cloudwatch_log_group", 'aws_cloudwatch_log_group.this["crawlers"]')["name"]
    assert group == f"/aws-glue/crawlers-role/{crawler_role}-{security}"


def test_a_condition_that_does_not_hold_does_not_allow(policies):
    identity, key_policy = copy.deepcopy(policies)
    metrics = next(s for s in identity if s.get("sid") == "JobMetrics")
    metrics["condition"]["values"] = ["SalesDataLake"]  # Glue's own namespace left out
    assert [p for p in unmet(needs_of_deployed_jobs(), identity, key_policy)] == [
        "bronze_to_silver: cloudwatch:PutMetricData on * (Glue job metrics): role policy says NoMatch",
        "silver_to_gold: cloudwatch:PutMetricData on * (Glue job metrics): role policy says NoMatch",
    ]
