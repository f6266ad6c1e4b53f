"""OpenLineage events as the lake writes them, read back and checked: the run event's shape
the spec requires, and each custom facet against the JSON Schema its `_schemaURL` names."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from jobs.runtime.lineage import FACETS_SCHEMA_FILE, FACETS_SCHEMA_ID

EVENT_TYPES = ("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER")
RUN_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
FACETS_SCHEMA = json.loads(FACETS_SCHEMA_FILE.read_text())
REGISTRY = Registry().with_resource(FACETS_SCHEMA_ID, Resource.from_contents(FACETS_SCHEMA))


def check_facet(facet: dict[str, Any]) -> None:
    """A custom facet holds to the schema its `_schemaURL` points into."""
    validator = jsonschema.Draft202012Validator({"$ref": facet["_schemaURL"]}, registry=REGISTRY)
    validator.validate(facet)


def check_run_event(event: dict[str, Any]) -> None:
    """What OpenLineage 2-0-2 requires of a RunEvent, and every custom facet's own schema."""
    assert event["schemaURL"] == RUN_EVENT_SCHEMA
    assert event["eventType"] in EVENT_TYPES
    assert "T" in event["eventTime"] and event["producer"]
    uuid.UUID(event["run"]["runId"])
    assert event["job"]["namespace"] and event["job"]["name"]
    for dataset in event.get("inputs", []) + event.get("outputs", []):
        assert dataset["namespace"] and dataset["name"]
    facets = [*event["run"].get("facets", {}).items()]
    for dataset in event.get("inputs", []) + event.get("outputs", []):
        facets += dataset.get("facets", {}).items()
    for name, facet in facets:
        assert facet["_producer"] and facet["_schemaURL"], name
        if facet["_schemaURL"].startswith(FACETS_SCHEMA_ID):
            check_facet(facet)


def events_in(path: Path) -> list[dict[str, Any]]:
    """The events of a JSON-lines file, each checked."""
    events = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for event in events:
        check_run_event(event)
    return events


def symlinked_tables(datasets: list[dict[str, Any]]) -> set[str]:
    """The catalog tables (database.table) a list of datasets names through their symlinks."""
    return {i["name"] for d in datasets for i in d["facets"]["symlinks"]["identifiers"]}
