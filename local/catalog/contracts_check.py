"""`make contracts-check`: every ODCS data contract under transforms/contracts/ is valid against
the Open Data Contract Standard's JSON Schema and passes `datacontract lint`, and sits where
its domain and name say; a breaking change against its last committed version carries a major
version bump, its consumers and a changelog entry, and breaks no Athena named query
(infra/queries/*.sql), see contract_changes.py.

Runs in its own virtualenv (.venv-contracts, with datacontract-cli and the ODCS schemas it
ships) as `python -m local.catalog.contracts_check` from the repository, importing nothing
that needs Spark. Before trusting a green result it checks a broken copy of the first contract
and fails if that copy passes: a check that cannot fail is no check.
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import datacontract
import jsonschema
import yaml

from local.catalog.contract_changes import (
    affected_queries,
    breaking_changes,
    catalog_schema,
    last_committed,
    release_problems,
)
from transforms.odcs_document import custom_property

SCHEMAS = Path(datacontract.__file__).parent / "schemas"


def odcs_schema(api_version: str) -> dict:
    path = SCHEMAS / f"odcs-{api_version.removeprefix('v')}.schema.json"
    if not path.exists():
        known = sorted(p.name for p in SCHEMAS.glob("odcs-*.schema.json"))
        raise SystemExit(f"no ODCS JSON Schema for apiVersion {api_version} (datacontract-cli ships {known})")
    schema: dict = json.loads(path.read_text())
    return schema


def schema_errors(document: dict) -> list[str]:
    schema = odcs_schema(str(document.get("apiVersion", "")))
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(document)]


def placement_errors(path: Path, root: Path, document: dict) -> list[str]:
    """A contract lives at <domain>/<layer>_<dataProduct>.odcs.yaml, its id <domain>_<layer>_<dataProduct>."""
    layer = custom_property(document, "layer", None)
    expected = f"{document.get('domain')}/{layer}_{document.get('dataProduct')}.odcs.yaml"
    errors = []
    if path.relative_to(root).as_posix() != expected:
        errors.append(f"file should be {expected} (domain, layer and dataProduct say so)")
    if document.get("id") != f"{document.get('domain')}_{layer}_{document.get('dataProduct')}":
        errors.append(f"id {document.get('id')!r} should be <domain>_<layer>_<dataProduct>")
    return errors


def lint_errors(path: Path) -> list[str]:
    cli = Path(sys.executable).with_name("datacontract")
    finished = subprocess.run([str(cli), "lint", str(path)], capture_output=True, text=True)
    if finished.returncode == 0 and "is valid" in finished.stdout:
        return []
    return [f"datacontract lint: {line.strip()}" for line in finished.stdout.splitlines() if line.strip()][-6:]


def contract_errors(path: Path, root: Path) -> list[str]:
    document = yaml.safe_load(path.read_text())
    return schema_errors(document) + placement_errors(path, root, document) + lint_errors(path)


def change_errors(contracts: list[Path], queries: dict[str, str]) -> dict[Path, list[str]]:
    """Per contract: a breaking change without what it needs, or one that breaks a named query."""
    current = {path: yaml.safe_load(path.read_text()) for path in contracts}
    before = {path: last_committed(path) for path in contracts}
    schema = catalog_schema([d for d in before.values() if d] + list(current.values()))
    errors: dict[Path, list[str]] = {}
    for path, document in current.items():
        if before[path] is None:
            continue
        changes = breaking_changes(before[path], document)
        if not changes:
            continue
        found = [f"breaking: {change.describe()}" for change in changes]
        found += [f"breaking change {problem}" for problem in release_problems(before[path], document)]
        for query, broken in affected_queries(changes, queries, schema).items():
            found.append(f"breaks the Athena query {query} ({'; '.join(broken)})")
        if len(found) > len(changes):
            errors[path] = found
    return errors


def broken_copy_is_caught(first: Path) -> bool:
    """A contract with a wrong-typed status and an unknown column field must fail both checks."""
    document = copy.deepcopy(yaml.safe_load(first.read_text()))
    document["status"] = 5
    document["schema"][0]["properties"][0]["nullable"] = True
    with tempfile.TemporaryDirectory() as folder:
        broken = Path(folder) / first.name
        broken.write_text(yaml.safe_dump(document, sort_keys=False))
        return bool(schema_errors(document)) and bool(lint_errors(broken))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the contracts folder (transforms/contracts)")
    parser.add_argument("--queries", type=Path, help="the Athena named queries (infra/queries)")
    args = parser.parse_args(argv)
    root = args.root
    queries = {p.name: p.read_text() for p in sorted(args.queries.glob("*.sql"))} if args.queries else {}
    contracts = sorted(root.rglob("*.odcs.yaml"))
    if not contracts:
        print(f"no *.odcs.yaml under {root}", file=sys.stderr)
        return 1
    if not broken_copy_is_caught(contracts[0]):
        print("the checks passed a broken contract; they cannot be trusted", file=sys.stderr)
        return 1
    failed = 0
    changes = change_errors(contracts, queries)
    for path in contracts:
        errors = contract_errors(path, root) + changes.get(path, [])
        print(f"{'FAIL' if errors else 'ok  '} {path.relative_to(root)}")
        for error in errors:
            print(f"       {error}")
        failed += bool(errors)
    print(
        f"{len(contracts) - failed} of {len(contracts)} contract(s) valid (ODCS JSON Schema, datacontract lint, "
        f"breaking changes against the last committed version, {len(queries)} Athena queries)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
