"""Publish the local catalog to the AWS Glue Data Catalog through boto3.

Every database, table and partition of the local metastore goes to Glue as a full
`TableInput` (StorageDescriptor with SerDe and input/output formats, PartitionKeys,
Parameters), so Athena and Glue jobs see the same tables. Credentials, region and endpoint
come from the usual AWS configuration (environment, profile, `AWS_ENDPOINT_URL`); nothing
here names an account or a host.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from jobs.runtime.catalog import CatalogPartition, CatalogTable
from jobs.runtime.uris import plain

TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"


@dataclass(frozen=True)
class StorageFormat:
    input_format: str
    output_format: str
    serde: str
    serde_parameters: dict[str, str] = field(default_factory=dict)


# The formats a Glue crawler records for each classification (Athena reads all four).
STORAGE_FORMATS = {
    "parquet": StorageFormat(
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        {"serialization.format": "1"},
    ),
    "csv": StorageFormat(
        TEXT_INPUT,
        TEXT_OUTPUT,
        "org.apache.hadoop.hive.serde2.OpenCSVSerde",
        {"separatorChar": ",", "quoteChar": '"', "escapeChar": "\\"},
    ),
    "json": StorageFormat(TEXT_INPUT, TEXT_OUTPUT, "org.openx.data.jsonserde.JsonSerDe"),
    "avro": StorageFormat(
        "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
        "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
        "org.apache.hadoop.hive.serde2.avro.AvroSerDe",
    ),
}
PARTITION_BATCH = 100  # BatchCreatePartition takes at most 100 partitions
DELETE_BATCH = 25  # BatchDeletePartition takes at most 25


def rebase(location: str, rebases: dict[str, str]) -> str:
    """The location with its first matching prefix replaced (local folder -> s3:// bucket)."""
    path = plain(location)
    for old, new in rebases.items():
        if path.startswith(old):
            return new + path[len(old) :]
    return location


def _storage_descriptor(table: CatalogTable, location: str) -> dict:
    storage = STORAGE_FORMATS[table.classification]
    return {
        "Columns": [{"Name": c.name, "Type": c.type, "Comment": c.comment} for c in table.columns],
        "Location": location,
        "InputFormat": storage.input_format,
        "OutputFormat": storage.output_format,
        "Compressed": False,
        "NumberOfBuckets": -1,
        "SerdeInfo": {"SerializationLibrary": storage.serde, "Parameters": dict(storage.serde_parameters)},
        "StoredAsSubDirectories": False,
        "Parameters": {"classification": table.classification},
    }


def table_input(table: CatalogTable, rebases: dict[str, str] | None = None) -> dict:
    """The Glue `TableInput` for a catalog table."""
    return {
        "Name": table.name,
        "Description": table.description,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {**table.parameters, "classification": table.classification, "EXTERNAL": "TRUE"},
        "PartitionKeys": [{"Name": c.name, "Type": c.type, "Comment": c.comment} for c in table.partition_keys],
        "StorageDescriptor": _storage_descriptor(table, rebase(table.location, rebases or {})),
    }


def partition_input(table: CatalogTable, partition: CatalogPartition, rebases: dict[str, str] | None = None) -> dict:
    return {
        "Values": list(partition.values),
        "StorageDescriptor": _storage_descriptor(table, rebase(partition.location, rebases or {})),
        "Parameters": {"classification": table.classification},
    }


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class PublishReport:
    databases_created: list[str] = field(default_factory=list)
    tables_created: list[str] = field(default_factory=list)
    tables_updated: list[str] = field(default_factory=list)
    partitions_added: int = 0
    partitions_removed: int = 0

    def lines(self) -> list[str]:
        return [
            f"Glue Data Catalog: {len(self.databases_created)} database(s) created, "
            f"{len(self.tables_created)} table(s) created, {len(self.tables_updated)} updated, "
            f"{self.partitions_added} partition(s) added, {self.partitions_removed} removed"
        ]


class GluePublisher:
    """Creates or updates databases, tables and partitions in Glue to match given tables."""

    def __init__(self, glue_client, rebases: dict[str, str] | None = None):
        self.glue = glue_client
        self.rebases = rebases or {}
        self.report = PublishReport()

    def _ensure_database(self, name: str) -> None:
        try:
            self.glue.get_database(Name=name)
        except self.glue.exceptions.EntityNotFoundException:
            self.glue.create_database(DatabaseInput={"Name": name, "Description": f"{name} (Sales Data Lake)"})
            self.report.databases_created.append(name)

    def _put_table(self, table: CatalogTable) -> None:
        given = table_input(table, self.rebases)
        try:
            self.glue.get_table(DatabaseName=table.database, Name=table.name)
        except self.glue.exceptions.EntityNotFoundException:
            self.glue.create_table(DatabaseName=table.database, TableInput=given)
            self.report.tables_created.append(table.qualified_name)
            return
        self.glue.update_table(DatabaseName=table.database, TableInput=given)
        self.report.tables_updated.append(table.qualified_name)

    def _published_values(self, table: CatalogTable) -> set[tuple[str, ...]]:
        pages = self.glue.get_paginator("get_partitions").paginate(DatabaseName=table.database, TableName=table.name)
        return {tuple(p["Values"]) for page in pages for p in page["Partitions"]}

    def _sync_partitions(self, table: CatalogTable, partitions: list[CatalogPartition]) -> None:
        published = self._published_values(table)
        wanted = {p.values: p for p in partitions}
        new = [
            partition_input(table, p, self.rebases) for values, p in sorted(wanted.items()) if values not in published
        ]
        for chunk in _chunks(new, PARTITION_BATCH):
            response = self.glue.batch_create_partition(
                DatabaseName=table.database, TableName=table.name, PartitionInputList=chunk
            )
            _raise_on_errors(table, response)
        gone = [{"Values": list(values)} for values in sorted(published - set(wanted))]
        for chunk in _chunks(gone, DELETE_BATCH):
            response = self.glue.batch_delete_partition(
                DatabaseName=table.database, TableName=table.name, PartitionsToDelete=chunk
            )
            _raise_on_errors(table, response)
        self.report.partitions_added += len(new)
        self.report.partitions_removed += len(gone)

    def publish(self, tables: Iterable[tuple[CatalogTable, list[CatalogPartition]]]) -> PublishReport:
        for table, partitions in tables:
            if table.classification not in STORAGE_FORMATS:
                raise ValueError(f"{table.qualified_name}: no Glue storage format for {table.classification!r}")
            self._ensure_database(table.database)
            self._put_table(table)
            if table.partition_keys:
                self._sync_partitions(table, partitions)
        return self.report


def _raise_on_errors(table: CatalogTable, response: dict) -> None:
    errors = response.get("Errors") or []
    if errors:
        first = errors[0]
        raise RuntimeError(
            f"{table.qualified_name}: Glue refused {len(errors)} partition(s), first {first.get('PartitionValues')}: "
            f"{first.get('ErrorDetail', {}).get('ErrorMessage')}"
        )


def local_tables(catalog) -> Iterator[tuple[CatalogTable, list[CatalogPartition]]]:
    """Every table of a `local.catalog.metastore.LocalCatalog`, with its partitions."""
    for database in catalog.databases():
        for name in catalog.table_names(database):
            table = catalog.table(database, name)
            yield table, catalog.partitions(table)
