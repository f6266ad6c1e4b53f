"""infra/ rendered offline with tfparse (variables from the example settings, locals, modules,
for-expressions), and IAM policy evaluation with Allow/Deny semantics. There is no terraform
binary here; values only AWS knows (a key's or secret's ARN) come back from tfparse as the
referenced block's id and are replaced by stand-in ARNs of the same shape."""

from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tfparse

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
EXAMPLE_SETTINGS = "terraform.tfvars.example"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# What AWS assigns on apply, by resource: a stand-in of the same shape.
ASSIGNED_ARNS = {
    "module.kms.aws_kms_key.lake": "arn:aws:kms:{region}:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "module.kms.aws_secretsmanager_secret.pii_hash_key": (
        "arn:aws:secretsmanager:{region}:{account}:secret:{name}/pii-hash-key-AbCdEf"
    ),
}


@functools.cache
def rendered(infra: Path = INFRA) -> dict[str, list[dict]]:
    """Every block of infra/ by type, rendered with the example settings."""
    return tfparse.load_from_path(str(infra), vars_paths=[EXAMPLE_SETTINGS])


def settings(infra: Path = INFRA) -> dict[str, Any]:
    return next(v for v in rendered(infra)["module"] if v["__tfmeta"]["label"] == "glue") | {
        "region": _root_variable(infra, "region"),
        "account": _root_variable(infra, "account_id"),
    }


def _root_variable(infra: Path, name: str) -> str:
    text = (infra / EXAMPLE_SETTINGS).read_text()
    match = re.search(rf'^{name}\s*=\s*"([^"]*)"', text, re.MULTILINE)
    assert match, f"{EXAMPLE_SETTINGS} sets no {name}"
    return match.group(1)


def assigned_arns(infra: Path = INFRA) -> dict[str, str]:
    """tfparse id of each block AWS assigns an ARN to -> its stand-in ARN."""
    values = settings(infra)
    found = {}
    for blocks in rendered(infra).values():
        for block in blocks:
            path = block.get("__tfmeta", {}).get("path")
            if path in ASSIGNED_ARNS:
                found[block["id"]] = ASSIGNED_ARNS[path].format(**values)
    return found


def resolve(value: Any, infra: Path = INFRA) -> Any:
    """`value` with every tfparse id of an AWS-assigned ARN replaced by its stand-in."""
    arns = assigned_arns(infra)
    if isinstance(value, str):
        return UUID.sub(lambda m: arns.get(m.group(0), m.group(0)), value)
    if isinstance(value, list):
        return [resolve(v, infra) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, infra) for k, v in value.items()}
    return value


def block(kind: str, path_suffix: str, infra: Path = INFRA) -> dict:
    matches = [b for b in rendered(infra).get(kind, []) if b["__tfmeta"]["path"].endswith(path_suffix)]
    assert len(matches) == 1, f"{kind} {path_suffix}: {len(matches)} blocks"
    return resolve(matches[0], infra)


@dataclass(frozen=True)
class DeployedJob:
    key: str  # the key of local.jobs: <domain>_<script>, as the job's runs name themselves
    name: str  # the name Glue knows it by (--JOB_NAME)
    script: str
    domain: str
    after: tuple[str, ...]  # the jobs (keys) whose success starts it
    default_arguments: dict[str, str]

    @property
    def role(self) -> str:
        """The key of its role in infra/modules/iam (aws_iam_role.this)."""
        return f"{self.domain}-producer"


def deployed_jobs(infra: Path = INFRA) -> dict[str, DeployedJob]:
    """The aws_glue_job instances (for_each over local.jobs) as Terraform would create them."""
    jobs = {}
    for job in rendered(infra)["aws_glue_job"]:
        key = job["__tfmeta"]["path"].split('"')[1]  # module.glue.aws_glue_job.this["<key>"]
        spec = job["for_each"][key]
        arguments = resolve(job["default_arguments"], infra)
        jobs[key] = DeployedJob(key, job["name"], spec["script"], spec["domain"], tuple(spec["after"]), arguments)
    return jobs


# ---- IAM evaluation --------------------------------------------------------------------------
def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _matches(pattern: str, value: str) -> bool:
    return fnmatch.fnmatchcase(value, pattern.replace("?", "[?]"))


CONDITION_TESTS = {
    "StringEquals": lambda value, wanted: value == wanted,
    "StringLike": lambda value, wanted: _matches(wanted, value),
    "ArnLike": lambda value, wanted: _matches(wanted, value),
    "Bool": lambda value, wanted: value.lower() == wanted.lower(),
}


def conditions_hold(statement: dict, context: dict[str, str]) -> bool:
    """Every condition of the statement holds for the request's context keys (a key the
    request does not carry fails its condition, as in IAM)."""
    for condition in _as_list(statement.get("condition") or []):
        test = CONDITION_TESTS[condition["test"]]  # an operator not modelled here fails loudly
        value = context.get(condition["variable"])
        if value is None or not any(test(value, wanted) for wanted in _as_list(condition["values"])):
            return False
    return True


def statement_applies(statement: dict, action: str, resource: str, context: dict[str, str] | None = None) -> bool:
    actions = _as_list(statement.get("actions") or [])
    resources = _as_list(statement.get("resources") or ["*"])
    return (
        any(_matches(a.lower(), action.lower()) for a in actions)
        and any(_matches(r, resource) for r in resources)
        and conditions_hold(statement, context or {})
    )


def identity_decision(statements: list[dict], action: str, resource: str, context: dict[str, str] | None = None) -> str:
    """Allow, Deny (explicit) or NoMatch (implicitly denied) for one request."""
    applying = [s for s in statements if statement_applies(s, action, resource, context)]
    if any(s.get("effect", "Allow") == "Deny" for s in applying):
        return "Deny"
    return "Allow" if applying else "NoMatch"


def policy_statements(document: str, infra: Path = INFRA) -> list[dict]:
    """The statements of a rendered aws_iam_policy_document of infra/modules/iam."""
    statements = block("aws_iam_policy_document", f"module.iam.data.aws_iam_policy_document.{document}", infra)
    return _as_list(statements["statement"])


def role_documents(role: str, infra: Path = INFRA) -> list[str]:
    """The policy documents attached to a role of infra/modules/iam, as its local.role_policies
    attaches them: its own, the reads the contracts grant it, and the PII key where its
    domain hashes PII (tests/unit/test_infra_permissions.py checks that rule against the HCL)."""
    own = {"glue-crawler": "crawler", "analyst": "analyst"}.get(role, f'producer["{role.removesuffix("-producer")}"]')
    documents = [own]
    granted = f'granted_reads["{role}"]'
    if any(b["__tfmeta"]["path"].endswith(granted) for b in rendered(infra)["aws_iam_policy_document"]):
        documents.append(granted)
    if role.removesuffix("-producer") in settings(infra)["pii_domains"] and role.endswith("-producer"):
        documents.append("pii_hash_key")
    return documents


def role_statements(role: str, infra: Path = INFRA) -> list[dict]:
    """Every statement of every policy attached to the role: IAM allows what any allows."""
    return [s for document in role_documents(role, infra) for s in policy_statements(document, infra)]


def key_policy_allows(
    statements: list[dict], action: str, role_arn: str, account: str, context: dict[str, str] | None = None
) -> bool:
    """Does the key policy let `role_arn` do `action`? A statement for the account root
    delegates to IAM policies (which the caller checks separately); one naming the role
    allows it directly."""
    for statement in statements:
        if statement.get("effect", "Allow") != "Allow" or not statement_applies(statement, action, "*", context):
            continue
        for principal in _as_list(statement.get("principals") or []):
            if principal.get("type") == "AWS" and {f"arn:aws:iam::{account}:root", role_arn} & set(
                _as_list(principal.get("identifiers"))
            ):
                return True
    return False
