"""infra/ parsed with python-hcl2 and held against the Python side: every job script has its
Glue job and every Glue job its script, each job's arguments are exactly what its script
resolves, bucket and database names agree with the configuration, every bucket is TLS-only,
no Allow statement has a wildcard action, and every argument, nested block and attribute
reference is in the pinned AWS provider's schema. (There is no terraform binary here; `make
infra-check` runs checkov over the same files.)"""

from __future__ import annotations

import copy
import importlib
import json
import re
import shutil
from pathlib import Path

import hcl2
import pytest

from infra.tools import provider_schema
from jobs.pipeline import DOMAIN_JOBS
from jobs.runtime.config import LOCAL_ONLY_ARGUMENTS, LakeConfig
from tests.helpers.infra_model import DeployedJob, deployed_jobs
from transforms.contract_types import database_name
from transforms.contracts import ALL_TABLES, DOMAINS

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
# A job script is a module of jobs/ that runs as a script (Glue starts it); pipeline.py is not one.
JOB_SCRIPTS = sorted(p.stem for p in (REPO / "jobs").glob("*.py") if '__name__ == "__main__"' in p.read_text())
# Arguments Glue reads itself, not the job scripts.
GLUE_ARGUMENTS = {
    "--job-language",
    "--additional-python-modules",
    "--enable-metrics",
    "--custom-logGroup-prefix",
    "--enable-glue-datacatalog",
    "--TempDir",
}
ACTION = re.compile(r"\b[a-z0-9-]+:[A-Za-z0-9*]+")


def unquoted(node):
    """python-hcl2 keeps string quotes; drop them from keys and values."""
    if isinstance(node, dict):
        return {unquoted(k): unquoted(v) for k, v in node.items() if k != "__is_block__"}
    if isinstance(node, list):
        return [unquoted(v) for v in node]
    if isinstance(node, str) and len(node) >= 2 and node[0] == node[-1] == '"':
        return node[1:-1]
    return node


def parse(relative: str) -> dict:
    with (INFRA / relative).open() as handle:
        return unquoted(hcl2.load(handle))


def blocks(parsed: dict, kind: str, type_name: str) -> dict[str, dict]:
    """`resource "aws_glue_job" "x" {...}` blocks of one type, by name."""
    return {name: body for block in parsed.get(kind, []) for name, body in block.get(type_name, {}).items()}


def merged_locals(parsed: dict) -> dict:
    return {k: v for block in parsed.get("locals", []) for k, v in block.items()}


def variable_default(name: str):
    return next(v[name]["default"] for v in parse("variables.tf")["variable"] if name in v)


@pytest.fixture(scope="module")
def glue() -> dict:
    return parse("modules/glue/main.tf")


# Given only to some jobs: the PII key's secret to the jobs that hash PII (test_infra_permissions),
# and an OpenLineage endpoint only when the deployment names one.
GIVEN_WHERE_NEEDED = {"--pii_hash_key_secret", "--lineage_url"}


def consistency_problems(
    jobs: list[DeployedJob], job_scripts: list[str], resolved: dict[str, tuple[str, ...]]
) -> list[str]:
    """What differs between the Glue jobs Terraform deploys and the job scripts in jobs/."""
    deployed = {job.script[:-3] for job in jobs}
    problems = [f"script jobs/{s}.py has no aws_glue_job" for s in job_scripts if s not in deployed]
    problems += [
        f"aws_glue_job {j.key} runs {j.script}, which is not in jobs/" for j in jobs if j.script[:-3] not in job_scripts
    ]
    for job in jobs:
        script = job.script[:-3]
        expected = {f"--{argument}" for argument in resolved.get(script, ()) if argument not in LOCAL_ONLY_ARGUMENTS}
        given = set(job.default_arguments) - GLUE_ARGUMENTS
        missing = expected - given - GIVEN_WHERE_NEEDED
        problems += [f"{job.key}: the script resolves {a}, the job does not set it" for a in sorted(missing)]
        problems += [f"{job.key}: the job sets {a}, the script does not resolve it" for a in sorted(given - expected)]
    return problems


def resolved_arguments() -> dict[str, tuple[str, ...]]:
    return {name: importlib.import_module(f"jobs.{name}").ARGUMENTS for name in JOB_SCRIPTS}


def test_every_job_script_has_its_glue_jobs_with_exactly_its_arguments(glue):
    jobs = list(deployed_jobs().values())
    assert len(jobs) == 6
    assert consistency_problems(jobs, JOB_SCRIPTS, resolved_arguments()) == []
    assert set(merged_locals(glue)["platform_arguments"]) | {"--TempDir"} == GLUE_ARGUMENTS


def test_a_rename_on_one_side_only_is_caught():
    jobs = [deployed_jobs()["sales_silver_to_gold"]]
    renamed_argument = copy.deepcopy(jobs)
    renamed_argument[0].default_arguments["--gold_path"] = renamed_argument[0].default_arguments.pop("--gold_uri")
    assert consistency_problems(renamed_argument, JOB_SCRIPTS, resolved_arguments()) == [
        "script jobs/bronze_to_silver.py has no aws_glue_job",
        "sales_silver_to_gold: the script resolves --gold_uri, the job does not set it",
        "sales_silver_to_gold: the job sets --gold_path, the script does not resolve it",
    ]
    renamed_script = [s if s != "silver_to_gold" else "silver_to_marts" for s in JOB_SCRIPTS]
    assert consistency_problems(jobs, renamed_script, resolved_arguments()) == [
        "script jobs/bronze_to_silver.py has no aws_glue_job",
        "script jobs/silver_to_marts.py has no aws_glue_job",
        "aws_glue_job sales_silver_to_gold runs silver_to_gold.py, which is not in jobs/",
    ]


def test_the_workflow_runs_each_domains_jobs_as_the_code_orders_them(glue):
    deployed = deployed_jobs()
    assert all((REPO / "jobs" / job.script).exists() for job in deployed.values())
    assert {key: (j.script, j.domain, set(j.after)) for key, j in deployed.items()} == {
        job.name: (f"{job.job}.py", job.domain, set(job.after)) for job in DOMAIN_JOBS
    }
    assert all(j.default_arguments["--domain"] == j.domain for j in deployed.values())
    job = blocks(glue, "resource", "aws_glue_job")["this"]
    assert job["glue_version"] == "6.0" and job["execution_property"][0]["max_concurrent_runs"] == 1
    assert job["role_arn"] == "${var.job_role_arns[each.value.domain]}"  # each domain's own role
    # The jobs that wait for none start on the schedule; each other starts once all it waits for
    # succeeded (tfparse does not render the dynamic blocks: read as written).
    start = blocks(glue, "resource", "aws_glue_trigger")["start"]["dynamic"][0]["actions"]
    assert start["for_each"] == "${sort([for name, job in var.jobs : name if length(job.after) == 0])}"
    after = blocks(glue, "resource", "aws_glue_trigger")["after"]
    predicate = after["predicate"][0]
    assert predicate["logical"] == "AND" and predicate["dynamic"][0]["conditions"]["for_each"] == "${each.value.after}"
    assert after["for_each"] == "${{for name, job in var.jobs : name => job if length(job.after) > 0}}"


def test_database_names_agree_with_the_contracts(glue):
    assert variable_default("domains") == list(DOMAINS)
    layers = variable_default("layers")
    assert {t.layer for t in ALL_TABLES} | {"bronze"} == set(layers)
    assert '"${domain}_${layer}"' in merged_locals(glue)["databases"]
    assert database_name("sales", "gold") == "sales_gold"  # the same rule on the Python side
    assert {t.database for t in ALL_TABLES} <= {database_name(d, layer) for d in DOMAINS for layer in layers}


def test_each_layer_uri_points_at_its_bucket(glue):
    arguments = merged_locals(glue)["lake_arguments"]
    layers = [f.removesuffix("_uri") for f in LakeConfig.__dataclass_fields__ if f.endswith("_uri")]
    bucket_of = {"bronze": "bronze", "silver": "silver", "quarantine": "silver", "gold": "gold"}
    bucket_of |= {"ops": "artifacts", "state": "artifacts"}
    assert set(layers) == set(bucket_of)
    for layer in layers:
        assert arguments[f"--{layer}_uri"].startswith(f"s3://${{var.bucket_ids.{bucket_of[layer]}}}")
    assert set(variable_default_or_example("bucket_names")) >= set(bucket_of.values())


def variable_default_or_example(name: str):
    example = (INFRA / "terraform.tfvars.example").read_text()
    return unquoted(hcl2.loads(example))[name]


def test_every_bucket_has_the_tls_only_policy():
    s3 = parse("modules/s3/main.tf")
    policy = blocks(s3, "resource", "aws_s3_bucket_policy")["tls_only"]
    assert policy["for_each"] == "${aws_s3_bucket.this}"  # one per bucket, every bucket
    document = blocks(s3, "data", "aws_iam_policy_document")["tls_only"]
    deny = document["statement"][0]
    assert deny["effect"] == "Deny" and deny["resources"] == ["${each.value.arn}", "${each.value.arn}/*"]
    assert deny["condition"][0] == {"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}


def allow_statement_actions(parsed: dict) -> list[tuple[str, str]]:
    """(statement, action) of every Allow statement in the file's policy documents, with
    actions held in locals resolved."""
    local = {k: str(v) for k, v in merged_locals(parsed).items()}

    def expand(text: str) -> str:
        for _ in range(3):  # locals built from other locals
            text = re.sub(r"local\.(\w+)", lambda m: local.get(m.group(1), m.group(0)), text)
        return text

    found = []
    for name, document in blocks(parsed, "data", "aws_iam_policy_document").items():
        dynamic = [c for block in document.get("dynamic", []) for c in block.get("statement", {}).get("content", [])]
        for statement in document.get("statement", []) + dynamic:
            if statement.get("effect", "Allow") == "Allow":
                label = f"{name}/{statement.get('sid', '?')}"
                found += [(label, action) for action in ACTION.findall(expand(str(statement["actions"])))]
    return found


@pytest.mark.parametrize("module", ["iam", "kms", "cloudwatch", "s3"])
def test_no_allow_statement_has_a_wildcard_action(module):
    actions = allow_statement_actions(parse(f"modules/{module}/main.tf"))
    assert actions, "the parser found no statement: the test would pass on anything"
    assert [(label, action) for label, action in actions if "*" in action] == []


def test_the_wildcard_check_can_fail():
    parsed = {"data": [{"aws_iam_policy_document": {"p": {"statement": [{"sid": "x", "actions": ["s3:Get*"]}]}}}]}
    assert allow_statement_actions(parsed) == [("p/x", "s3:Get*")]


def test_every_variable_is_typed_and_described():
    for path in [INFRA / "variables.tf", *sorted(INFRA.glob("modules/*/variables.tf"))]:
        for block in unquoted(hcl2.load(path.open()))["variable"]:
            for name, body in block.items():
                assert body.get("type") and body.get("description"), f"{path.relative_to(REPO)}: {name}"


# What Glue 6.0 ships itself (its Spark, awsglue, and the Python libraries it documents).
SHIPPED_BY_GLUE = ("pyspark", "pandas", "pyarrow", "AWSGlueDataplanePython", "boto3")


def test_glue_installs_every_runtime_library_it_lacks_pinned_as_in_requirements():
    lines = [line.split("#")[0].strip() for line in (REPO / "requirements.txt").read_text().splitlines()]
    needed = {line for line in lines if line and not line.startswith(SHIPPED_BY_GLUE)}
    assert set(variable_default("python_modules")) == needed
    example = unquoted(hcl2.loads((INFRA / "terraform.tfvars.example").read_text()))
    assert set(example["python_modules"]) == needed


def test_the_example_settings_set_every_root_variable():
    declared = {name for block in parse("variables.tf")["variable"] for name in block}
    example = unquoted(hcl2.loads((INFRA / "terraform.tfvars.example").read_text()))
    assert declared == set(example) - {"__comments__"}  # the PII hash key is in no variable, but its secret


def test_the_named_queries_read_only_gold_tables_that_exist():
    gold = {t.qualified_name for t in ALL_TABLES if t.layer == "gold"}
    queries = sorted((INFRA / "queries").glob("*.sql"))
    assert queries
    for query in queries:
        tables = set(re.findall(r"\bFROM\s+([a-z_]+\.[a-z_]+)", query.read_text(), re.IGNORECASE))
        assert tables and tables <= gold, query.name


def test_the_provider_schema_is_of_the_pinned_provider_version():
    schema = json.loads(provider_schema.SCHEMA_FILE.read_text())
    pinned = re.search(r'version\s*=\s*"~>\s*(\d+)\.(\d+)"', (INFRA / "versions.tf").read_text())
    major, minor = (int(part) for part in schema["provider_version"].split(".")[:2])
    assert pinned and major == int(pinned.group(1)) and minor >= int(pinned.group(2))


def test_every_argument_block_and_reference_is_in_the_aws_provider_schema():
    schema = json.loads(provider_schema.SCHEMA_FILE.read_text())
    assert {"command", "execution_property"} <= set(schema["resource"]["aws_glue_job"]["blocks"])
    assert provider_schema.problems(schema) == []


def test_a_misspelt_argument_block_or_attribute_is_named(tmp_path):
    schema = json.loads(provider_schema.SCHEMA_FILE.read_text())
    copy = tmp_path / "infra"
    shutil.copytree(INFRA, copy, ignore=shutil.ignore_patterns(".terraform", "tools"))
    glue = copy / "modules/glue/main.tf"
    text = glue.read_text().replace('glue_version           = "6.0"', 'glue_versoin           = "6.0"')
    text = text.replace("  execution_property {", "  execution_properties {")
    glue.write_text(text.replace("aws_glue_workflow.pipeline.name", "aws_glue_workflow.pipeline.nmae"))
    assert provider_schema.problems(schema, copy) == [
        "modules/glue/main.tf: aws_glue_job.this: no argument 'glue_versoin'",
        "modules/glue/main.tf: aws_glue_job.this: no nested block 'execution_properties'",
        "modules/glue/main.tf: aws_glue_workflow.pipeline has no attribute 'nmae'",
    ]
