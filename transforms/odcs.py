"""The lake's data contracts, in the Open Data Contract Standard (ODCS v3.1): one YAML file per
data product under `transforms/contracts/<domain>/`, read into the types the code uses. The
files are the single source: schemas, keys, partitions, column docs, classification, owner
and SLA all come from them (`make contracts-check` validates them against the standard)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pyspark.sql.types import (
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    TimestampType,
)

from transforms.contract_types import BronzeSource, Sla, TableContract
from transforms.odcs_document import ContractError, Document, custom_property, owner_of, positioned, properties

CONTRACTS = Path(__file__).parent / "contracts"

SIMPLE_TYPES: dict[str, DataType] = {
    "string": StringType(),
    "int": IntegerType(),
    "bigint": LongType(),
    "double": DoubleType(),
    "date": DateType(),
    "timestamp": TimestampType(),
    "boolean": BooleanType(),
}
DECIMAL = re.compile(r"^decimal\((\d+),\s*(\d+)\)$")


def spark_type(physical_type: str) -> DataType:
    """A column's Spark type from its ODCS physicalType (Spark/Hive spelling)."""
    decimal = DECIMAL.match(physical_type.strip().lower())
    if decimal:
        return DecimalType(int(decimal.group(1)), int(decimal.group(2)))
    try:
        return SIMPLE_TYPES[physical_type.strip().lower()]
    except KeyError:
        raise ContractError(f"physicalType {physical_type!r} is not one the lake knows") from None


def read_contract(name: str, root: Path = CONTRACTS) -> Document:
    """`<domain>/<file stem>`, e.g. `sales/silver_orders`."""
    path = root / f"{name}.odcs.yaml"
    document: Document = yaml.safe_load(path.read_text())
    return document


def sla_value(document: Document, name: str, default: float) -> float:
    for item in document.get("slaProperties", []):
        if item["property"] == name:
            return float(item["value"])
    return default


def slas(document: Document) -> tuple[Sla, ...]:
    """The contract's service levels; a `regulatory` driver makes a breach fail the run."""
    return tuple(
        Sla(
            property=item["property"],
            value=item["value"],
            unit=item.get("unit", ""),
            element=item.get("element", ""),
            enforced=item.get("driver") == "regulatory",
        )
        for item in document.get("slaProperties", [])
    )


def table_contract(name: str, root: Path = CONTRACTS) -> TableContract:
    """A silver or gold table's contract, as the code uses it."""
    document = read_contract(name, root)
    props = properties(document)
    (table,) = document["schema"]
    partitions = positioned(document, "partitioned", "partitionKeyPosition")
    for sla in slas(document):
        # Freshness is read from the catalog's partitions, never by scanning the table.
        if sla.property == "freshness" and sla.element not in partitions:
            raise ContractError(f"{name}: freshness is measured on a partition column, not {sla.element!r}")
    return TableContract(
        domain=document["domain"],
        layer=custom_property(document, "layer"),
        name=table["name"],
        columns=tuple((p["name"], spark_type(p["physicalType"]), not p.get("required", False)) for p in props),
        primary_key=positioned(document, "primaryKey", "primaryKeyPosition"),
        partition_by=partitions,
        owner=owner_of(document),
        sla_hours=int(sla_value(document, "latency", 24)),
        description=document.get("description", {}).get("purpose", ""),
        column_docs={p["name"]: p["description"] for p in props if p.get("description")},
        version=str(document["version"]),
        status=str(document["status"]),
        classification={p["name"]: p["classification"] for p in props if p.get("classification")},
        slas=slas(document),
        consumers=tuple(custom_property(document, "consumers", [])),
        inputs=tuple(custom_property(document, "inputs", [])),
        readers=tuple(role["role"] for role in document.get("roles", []) if role.get("access") == "read"),
    )


def _ddl_type(prop: Document) -> str:
    if prop.get("logicalType") == "object":
        fields = ", ".join(f"{p['name']}: {_ddl_type(p)}" for p in prop["properties"])
        return f"STRUCT<{fields}>"
    return spark_type(prop["physicalType"]).simpleString().upper()


def record_ddl(name: str, root: Path = CONTRACTS) -> str:
    """A landed record's fields as a Spark DDL schema (how JSON records are parsed)."""
    return ", ".join(f"{p['name']} {_ddl_type(p)}" for p in properties(read_contract(name, root)))


def bronze_source(name: str, root: Path = CONTRACTS) -> BronzeSource:
    """A landed dataset's contract (the producer's promise), as the readers use it."""
    document = read_contract(name, root)
    (table,) = document["schema"]
    return BronzeSource(
        domain=document["domain"],
        dataset=table["name"],
        file_format=custom_property(document, "fileFormat"),
        columns=tuple(p["name"] for p in properties(document)),
        slas=slas(document),
        owner=owner_of(document),
        version=str(document["version"]),
        status=str(document["status"]),
        consumers=tuple(custom_property(document, "consumers", [])),
    )
