"""What makes a change to a data contract breaking, what a breaking change must carry, and
which Athena named queries it would break. Pure functions over ODCS documents (dicts), used by
`make contracts-check` (contracts_check.py) and tested in tests/unit/test_contract_changes.py.

Breaking: a column removed (a rename is a removal and an addition), a type narrowed, a column
that became required, a changed primary key or partitioning. A breaking change needs a major
version bump, the contract's consumers listed (customProperty `consumers`) and a changelog
entry for the new version (customProperty `changelog`: [{version, description}]).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlglot
import yaml
from sqlglot import exp
from sqlglot.optimizer.qualify import qualify

from transforms.odcs_document import Document, columns, custom_property, positioned

INTEGERS = ("tinyint", "smallint", "int", "bigint")  # each holds the ones before it
DECIMAL = re.compile(r"^decimal\((\d+),\s*(\d+)\)$")


@dataclass(frozen=True)
class Change:
    table: str  # database.table, as the catalog and the queries name it
    column: str | None  # None for a table-wide change (key, partitioning)
    what: str

    def describe(self) -> str:
        return f"{self.table}.{self.column}: {self.what}" if self.column else f"{self.table}: {self.what}"


def widens(old_type: str, new_type: str) -> bool:
    """Can every value of `old_type` be held by `new_type`? (Spark/Hive type spellings.)"""
    old, new = old_type.strip().lower(), new_type.strip().lower()
    if old == new:
        return True
    if old in INTEGERS and new in INTEGERS:
        return INTEGERS.index(new) >= INTEGERS.index(old)
    old_decimal, new_decimal = DECIMAL.match(old), DECIMAL.match(new)
    if old_decimal and new_decimal:
        (p1, s1), (p2, s2) = (map(int, old_decimal.groups())), (map(int, new_decimal.groups()))
        return s2 >= s1 and p2 - s2 >= p1 - s1
    if old in INTEGERS and new_decimal:
        digits = {"tinyint": 3, "smallint": 5, "int": 10, "bigint": 19}[old]
        precision, scale = map(int, new_decimal.groups())
        return precision - scale >= digits
    if new == "string":
        return old != "binary"
    return new == "double" and old in ("tinyint", "smallint", "int", "float")  # bigint would lose digits


def breaking_changes(old: Document, new: Document) -> list[Change]:
    table = str(old.get("name", old.get("id")))
    before, after = columns(old), columns(new)
    changes = [Change(table, name, "column removed (or renamed)") for name in before if name not in after]
    for name in (n for n in before if n in after):
        old_type, new_type = before[name].get("physicalType", ""), after[name].get("physicalType", "")
        if not widens(old_type, new_type):
            changes.append(Change(table, name, f"type narrowed or changed: {old_type} -> {new_type}"))
        if after[name].get("required") and not before[name].get("required"):
            changes.append(Change(table, name, "became required"))
    for what, flag, position in (("primary key", "primaryKey", "primaryKeyPosition"),
                                 ("partitioning", "partitioned", "partitionKeyPosition")):  # fmt: skip
        was, now = positioned(old, flag, position), positioned(new, flag, position)
        if was != now:
            changes.append(Change(table, None, f"{what} changed: {', '.join(was)} -> {', '.join(now)}"))
    return changes


def major(version: str) -> int:
    match = re.match(r"^v?(\d+)\.", str(version))
    return int(match.group(1)) if match else 0


def release_problems(old: Document, new: Document) -> list[str]:
    """What a breaking change lacks: a major version bump, consumers, a changelog entry."""
    problems = []
    if major(new["version"]) <= major(old["version"]):
        problems.append(f"needs a major version bump (was {old['version']}, is {new['version']})")
    if not custom_property(new, "consumers"):
        problems.append("needs its consumers listed (customProperty consumers)")
    entries = custom_property(new, "changelog", [])
    if not any(str(entry.get("version")) == str(new["version"]) for entry in entries):
        problems.append(f"needs a changelog entry for version {new['version']} (customProperty changelog)")
    return problems


def query_columns(sql: str, schema: dict[str, dict[str, dict[str, str]]]) -> set[tuple[str, str]]:
    """(database.table, column) pairs an Athena (Trino) query reads, resolved with `schema`
    ({database: {table: {column: type}}})."""

    tree = qualify(
        sqlglot.parse_one(sql, dialect="athena"), schema=schema, dialect="athena", validate_qualify_columns=False
    )
    tables = {t.alias_or_name: f"{t.db}.{t.name}" for t in tree.find_all(exp.Table)}
    return {(tables[c.table], c.name) for c in tree.find_all(exp.Column) if c.table in tables}


def affected_queries(changes: list[Change], queries: dict[str, str], schema: dict) -> dict[str, list[str]]:
    """For each query a change would break: the changes, described."""
    hit: dict[str, list[str]] = {}
    for name, sql in sorted(queries.items()):
        read = query_columns(sql, schema)
        read_tables = {table for table, _ in read}
        for change in changes:
            if (change.table, change.column) in read or (change.column is None and change.table in read_tables):
                hit.setdefault(name, []).append(change.describe())
    return hit


def catalog_schema(documents: list[Document]) -> dict[str, dict[str, dict[str, str]]]:
    """The tables of the contracts as sqlglot's schema: {database: {table: {column: type}}}. A
    table in several documents (its last committed and its current contract) has the columns of
    all, so a query is resolved whichever version it was written against."""
    schema: dict[str, dict[str, dict[str, str]]] = {}
    for document in documents:
        database, _, table = str(document["name"]).partition(".")
        known = schema.setdefault(database, {}).setdefault(table, {})
        known.update({n: p.get("physicalType", "string") for n, p in columns(document).items()})
    return schema


def git(root: Path, *args: str) -> str | None:
    finished = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return finished.stdout if finished.returncode == 0 else None


def last_committed(path: Path) -> dict | None:
    """The contract as last committed before the version in hand: HEAD's when the file has
    uncommitted edits, else the one before the commit that last changed it; None when new."""
    folder = path.parent
    edited = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", path.name], cwd=folder).returncode != 0
    commits = (git(folder, "log", "--format=%H", "-n", "2", "--", path.name) or "").split()
    ref = "HEAD" if edited else (commits[1] if len(commits) > 1 else None)
    text = git(folder, "show", f"{ref}:./{path.name}") if ref else None
    return yaml.safe_load(text) if text else None
