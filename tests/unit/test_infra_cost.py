"""Cost is known per domain on AWS: every Glue job and crawler carries its domain and layer as
cost allocation tags (every other resource the provider's shared ones), the tags are active,
and each domain has a monthly budget on its own tag that tells its owners' topic."""

from __future__ import annotations

from tests.helpers.infra_model import block, deployed_jobs, rendered
from transforms.contracts import DOMAINS


def instances(kind: str, path: str) -> dict[str, dict]:
    return {b["__tfmeta"]["path"].split('"')[1]: b for b in rendered()[kind] if path in b["__tfmeta"]["path"]}


def test_every_glue_job_and_crawler_is_tagged_with_its_domain_and_layer():
    jobs = instances("aws_glue_job", "aws_glue_job.this")
    assert len(jobs) == 6
    for key, job in deployed_jobs().items():
        layer = "silver" if job.script == "bronze_to_silver.py" else "gold"
        assert jobs[key]["tags"] == {"domain": job.domain, "layer": layer}
    crawlers = instances("aws_glue_crawler", "aws_glue_crawler.bronze")
    assert {key: c["tags"] for key, c in crawlers.items()} == {d: {"domain": d, "layer": "bronze"} for d in DOMAINS}
    buckets = instances("aws_s3_bucket", "aws_s3_bucket.this")
    assert {key: b["tags"] for key, b in buckets.items()} == {key: {"layer": key} for key in buckets}


def test_every_other_resource_is_shared_platform_by_default_and_the_tags_are_active():
    provider = rendered()["provider"]
    (tags,) = [p["default_tags"]["tags"] for p in provider if p.get("default_tags")]
    assert (tags["domain"], tags["layer"]) == ("shared", "platform")
    active = instances("aws_ce_cost_allocation_tag", "aws_ce_cost_allocation_tag.this")
    assert {key: (t["tag_key"], t["status"]) for key, t in active.items()} == {
        "domain": ("domain", "Active"),
        "layer": ("layer", "Active"),
    }


def test_each_domain_has_a_monthly_budget_on_its_tag_telling_its_own_topic():
    budgets = instances("aws_budgets_budget", "aws_budgets_budget.domain")
    assert sorted(budgets) == sorted(DOMAINS)
    for domain, budget in budgets.items():
        (cost_filter,) = budget["cost_filter"] if isinstance(budget["cost_filter"], list) else [budget["cost_filter"]]
        assert (cost_filter["name"], cost_filter["values"]) == ("TagKeyValue", [f"user:domain${domain}"])
        assert (budget["time_unit"], budget["limit_unit"], budget["budget_type"]) == ("MONTHLY", "USD", "COST")
    policy = block("aws_iam_policy_document", 'module.cloudwatch.data.aws_iam_policy_document.alerts["sales"]')
    assert "budgets.amazonaws.com" in policy["statement"]["principals"]["identifiers"]
