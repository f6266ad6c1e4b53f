"""What a contract is: a lake table's schema and promises (`TableContract`) and a landed
dataset (`BronzeSource`). The lake's own contracts are declared in `transforms.contracts`;
the runtime knows only these types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyspark.sql.types import DataType, StructField, StructType

# A landed record's lineage: its file (relative to bronze) and line; every silver and
# quarantine row carries it, and it is unique across the lake.
LINEAGE = ("source_file", "source_line")


@dataclass(frozen=True)
class Sla:
    """One service level a contract promises (ODCS slaProperties): `freshness` (days between the
    newest business date and the newest data read, on `element`), `latency` (hours from landing
    to publishing), `completeness` (percent of landed records that reach silver),
    `timeOfAvailability` (published by HH:MM UTC). `enforced` (driver: regulatory) fails the
    run on a breach; the others are reported."""

    property: str
    value: float | str
    unit: str = ""
    element: str = ""
    enforced: bool = False


def database_name(domain: str, layer: str) -> str:
    """Each domain has one catalog database per layer: `sales_bronze`, `sales_silver`, ..."""
    return f"{domain}_{layer}"


def columns_of(*specs: tuple[Any, ...]) -> tuple[tuple[str, DataType, bool], ...]:
    """A table's columns written in code: (name, type) means NOT NULL; (name, type, True) nullable."""
    return tuple((str(s[0]), s[1], len(s) > 2 and bool(s[2])) for s in specs)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: each table is declared once
class TableContract:
    """A table's schema and the promises its owner makes about it."""

    domain: str
    layer: str
    name: str
    columns: tuple[tuple[str, DataType, bool], ...]
    primary_key: tuple[str, ...]
    partition_by: tuple[str, ...] = ()
    owner: str = ""
    sla_hours: int = 24
    description: str = ""
    column_docs: dict[str, str] = field(default_factory=dict)
    version: str = "0.0.0"  # the contract's (semantic) version
    status: str = "active"
    classification: dict[str, str] = field(default_factory=dict)  # column -> restricted, confidential, ...
    slas: tuple[Sla, ...] = ()
    consumers: tuple[str, ...] = ()  # who reads the product (tables, analysts' queries)
    inputs: tuple[str, ...] = ()  # the products it is built from (database.table)
    readers: tuple[str, ...] = ()  # roles besides its domain's producer that may read it
    # Columns computed from the others where a row comes without them: column -> Spark SQL
    # expression. A coarse partition column (a month from a date) is one, so the rows need not
    # carry it, and a table written before the column existed still reads whole.
    derived: dict[str, str] = field(default_factory=dict)

    def sla(self, name: str) -> Sla | None:
        return next((s for s in self.slas if s.property == name), None)

    @property
    def database(self) -> str:
        return database_name(self.domain, self.layer)

    @property
    def qualified_name(self) -> str:
        return f"{self.database}.{self.name}"

    @property
    def schema(self) -> StructType:
        return StructType([StructField(n, t, nullable) for n, t, nullable in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [n for n, _, _ in self.columns]

    @property
    def data_columns(self) -> list[str]:
        """Columns stored in the files (partition columns live in the folder names)."""
        return [n for n in self.column_names if n not in self.partition_by]


@dataclass(frozen=True)
class BronzeSource:
    """A landed dataset: files under `<bronze>/<domain>/<dataset>/ingest_date=YYYY-MM-DD/`."""

    domain: str
    dataset: str
    file_format: str  # csv | jsonl | parquet | avro
    columns: tuple[str, ...] = ()  # the fields a landed record carries (by name)
    slas: tuple[Sla, ...] = ()
    owner: str = ""
    version: str = "0.0.0"
    status: str = "active"
    consumers: tuple[str, ...] = ()

    def sla(self, name: str) -> Sla | None:
        return next((s for s in self.slas if s.property == name), None)

    @property
    def prefix(self) -> str:
        return f"{self.domain}/{self.dataset}"

    @property
    def qualified_name(self) -> str:
        """The crawler's catalog table for the dataset."""
        return f"{database_name(self.domain, 'bronze')}.{self.dataset}"
