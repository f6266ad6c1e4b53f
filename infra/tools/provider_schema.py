"""The AWS provider's schema, for checking infra/ without a terraform binary or a provider
download.

`extract`: from the jsii manifest of the npm package `@cdktf/provider-aws` (generated from
the provider's own schema; its version names the provider version), keep what infra/ uses:
per resource and data source type, its arguments, nested blocks (recursively) and the
attributes other blocks may reference. `make provider-schema` writes it to
infra/tools/aws_provider_schema.json, committed, so the check runs offline.

`problems`: every resource or data block in infra/ held against that schema: an unknown
type, argument or nested block, and a reference `aws_x.name.attr` to an attribute the type
does not have.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import hcl2

HERE = Path(__file__).resolve().parent
INFRA = HERE.parent
SCHEMA_FILE = HERE / "aws_provider_schema.json"
PACKAGE = "@cdktf/provider-aws"
META_ARGUMENTS = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}
TF_NAME = re.compile(r"#(\w+) ")
REFERENCE = re.compile(r"(?<![\w.])(data\.)?(aws_[a-z0-9_]+)\.([a-z0-9_]+)(?:\[[^\]]*\])?\.([a-z_][a-z0-9_]*)")


# ---- extraction -----------------------------------------------------------------------------
def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _namespace(kind: str, type_name: str) -> str:
    """aws_glue_job -> glueJob; data aws_iam_policy_document -> dataAwsIamPolicyDocument."""
    words = (["data", "aws"] if kind == "data" else []) + type_name.removeprefix("aws_").split("_")
    return words[0] + "".join(w.capitalize() for w in words[1:])


def _struct_fqns(type_ref: Any) -> list[str]:
    text = json.dumps(type_ref)
    return [fqn for fqn in re.findall(r'"fqn": "([^"]+)"', text) if fqn.startswith(PACKAGE + ".")]


def _struct(types: dict, fqn: str) -> dict:
    arguments, blocks = [], {}
    for prop in types[fqn].get("properties", []):
        docs = prop.get("docs", {})
        found = TF_NAME.search(docs.get("summary", "") + " " + docs.get("remarks", ""))
        name = found.group(1) if found else _snake(prop["name"])
        nested = _struct_fqns(prop["type"])
        if nested and types[nested[0]].get("kind") == "interface":
            blocks[name] = _struct(types, nested[0])
        else:
            arguments.append(name)
    return {"arguments": sorted(arguments), "blocks": blocks}


def extract(jsii: dict, used: set[tuple[str, str]]) -> dict:
    """The schema of each (kind, type) in `used` (kind: resource or data)."""
    types = jsii["types"]
    schema: dict[str, Any] = {"provider_version": None, "resource": {}, "data": {}}
    for kind, type_name in sorted(used):
        namespace = f"{PACKAGE}.{_namespace(kind, type_name)}"
        config = next((k for k in types if k.startswith(namespace + ".") and k.endswith("Config")), None)
        resource_class = next((k for k in types if k.startswith(namespace + ".") and types[k]["kind"] == "class"), None)
        if config is None or resource_class is None:
            raise SystemExit(f"{kind} {type_name}: not in {PACKAGE} (a typo, or a type newer than the pinned provider)")
        entry = _struct(types, config)
        readable = [p["name"] for p in types[resource_class].get("properties", []) if not p.get("static")]
        entry["attributes"] = sorted({_snake(n) for n in readable if not n.endswith("Input")} | set(entry["arguments"]))
        schema[kind][type_name] = entry
    return schema


def used_types(infra: Path = INFRA) -> set[tuple[str, str]]:
    return {(kind, type_name) for _, kind, type_name, _, _ in _blocks(infra)}


# ---- the check ------------------------------------------------------------------------------
def _load(path: Path) -> dict:
    with path.open() as handle:
        return hcl2.load(handle)


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _blocks(infra: Path):
    """(file, kind, type, name, body) of every resource and data block under `infra`."""
    for path in sorted(infra.rglob("*.tf")):
        parsed = _load(path)
        for kind in ("resource", "data"):
            for block in parsed.get(kind, []):
                for type_name, named in block.items():
                    for name, body in named.items():
                        yield path.relative_to(infra), kind, _unquote(type_name), _unquote(name), body


def _body_problems(where: str, body: dict, schema: dict) -> list[str]:
    problems = []
    for key, value in body.items():
        key = _unquote(key)
        if key in META_ARGUMENTS or (key.startswith("__") and key.endswith("__")):  # the parser's own keys
            continue
        if key == "dynamic":
            for dynamic in value:
                for name, spec in dynamic.items():
                    name = _unquote(name)
                    if name not in schema["blocks"]:
                        problems.append(f"{where}: no nested block {name!r}")
                        continue
                    for content in spec.get("content", []):
                        problems += _body_problems(f"{where}.{name}", content, schema["blocks"][name])
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) and v.get("__is_block__") for v in value):
            if key not in schema["blocks"]:
                problems.append(f"{where}: no nested block {key!r}")
                continue
            for nested in value:
                problems += _body_problems(f"{where}.{key}", nested, schema["blocks"][key])
        elif key not in schema["arguments"]:
            problems.append(f"{where}: no argument {key!r}")
    return problems


def problems(schema: dict, infra: Path = INFRA) -> list[str]:
    found = []
    for path, kind, type_name, name, body in _blocks(infra):
        where = f"{path}: {'data.' if kind == 'data' else ''}{type_name}.{name}"
        entry = schema[kind].get(type_name)
        if entry is None:
            found.append(f"{where}: {kind} type {type_name} is not in the schema (make provider-schema)")
            continue
        found += _body_problems(where, body, entry)
    for path in sorted(infra.rglob("*.tf")):
        for data, type_name, name, attribute in REFERENCE.findall(path.read_text()):
            entry = schema["data" if data else "resource"].get(type_name)
            if entry is not None and attribute not in entry["attributes"]:
                found.append(f"{path.relative_to(infra)}: {data}{type_name}.{name} has no attribute {attribute!r}")
    return sorted(set(found))


def main(argv: list[str]) -> int:
    if argv[:1] == ["extract"]:  # extract <the unpacked npm package folder>
        package = Path(argv[1])
        schema = extract(json.loads((package / ".jsii").read_text()), used_types())
        schema["provider_version"] = json.loads((package / "package.json").read_text())["cdktf"]["provider"]["version"]
        SCHEMA_FILE.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
        print(
            f"{SCHEMA_FILE.relative_to(INFRA.parent)}: {len(schema['resource'])} resource and "
            f"{len(schema['data'])} data source types of the AWS provider {schema['provider_version']}"
        )
        return 0
    schema = json.loads(SCHEMA_FILE.read_text())
    found = problems(schema)
    print("\n".join(found) or f"infra/ agrees with the AWS provider {schema['provider_version']} schema")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
