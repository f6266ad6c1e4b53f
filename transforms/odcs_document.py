"""An ODCS contract as the YAML file holds it (a dict), read without Spark: by `transforms.odcs`
and by `make contracts-check`, whose virtualenv has no pyspark."""

from __future__ import annotations

from typing import Any

Document = dict[str, Any]
_REQUIRED = object()


class ContractError(ValueError):
    """A contract file the lake cannot use; the message names the file and the field."""


def custom_property(document: Document, name: str, default: Any = _REQUIRED) -> Any:
    """A customProperty's value; without a default, a missing one is an error."""
    for item in document.get("customProperties", []):
        if item.get("property") == name:
            return item["value"]
    if default is _REQUIRED:
        raise ContractError(f"{document.get('id')}: no customProperty {name!r}")
    return default


def properties(document: Document) -> list[Document]:
    """The columns of the contract's one table, in order."""
    (table,) = document["schema"]  # one table per contract
    found: list[Document] = table["properties"]
    return found


def columns(document: Document) -> dict[str, Document]:
    return {p["name"]: p for p in properties(document)}


def positioned(document: Document, flag: str, position: str) -> tuple[str, ...]:
    """The columns marked `flag` (primaryKey, partitioned) in the order of `position`."""
    marked = [p for p in properties(document) if p.get(flag)]
    return tuple(p["name"] for p in sorted(marked, key=lambda p: p.get(position, 0)))


def owner_of(document: Document) -> str:
    members = document.get("team", {}).get("members", [])
    return next((m["username"] for m in members if m.get("role") == "owner"), "")
