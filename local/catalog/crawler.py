"""The local crawler: what the AWS Glue crawler does for bronze, on a folder.

It scans `bronze/<domain>/<dataset>/[key=value/...]<file>`, infers each dataset's schema from
its files' content (`local.catalog.schema_inference`), finds Hive-style partitions, and creates or
updates `<domain>_bronze.<dataset>` in a catalog with the metadata a Glue crawler records.

Schema changes follow the Glue crawler's policy: new columns are added, safe widenings
(int -> bigint, float -> double) applied; an incompatible change (any other type change, a
column gone from every file, other partition keys, another format) is held back and
reported, while the table's safe changes still go through. A file that cannot be read is
reported and left out; the crawl of everything else goes on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from jobs.runtime.catalog import PARTITION_KEY_TYPE, CatalogPartition, CatalogTable, Column
from jobs.runtime.storage import is_hidden
from local.catalog.schema_inference import (
    DEFAULT_SAMPLE_SIZE,
    FileSchema,
    UnreadableFile,
    infer_file,
    merge_fields,
    widens_to,
)
from transforms.contract_types import database_name

CRAWLER_NAME = "sales-data-lake-crawler"


@dataclass(frozen=True)
class FileProblem:
    path: Path
    reason: str


@dataclass
class DatasetScan:
    """Everything the crawler learned about one dataset folder."""

    domain: str
    dataset: str
    location: Path
    files: list[FileSchema] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    partition_keys: tuple[str, ...] = ()
    partitions: dict[tuple[str, ...], CatalogPartition] = field(default_factory=dict)

    @property
    def database(self) -> str:
        return database_name(self.domain, "bronze")

    @property
    def classification(self) -> str | None:
        kinds = Counter(f.classification for f in self.files)
        return kinds.most_common(1)[0][0] if kinds else None

    @property
    def columns(self) -> list[tuple[str, str]]:
        fields: list[tuple[str, str | None]] = []
        for schema in self.files:
            fields = merge_fields(fields, list(schema.columns))
        return [(name, kind or "string") for name, kind in fields]


def discover_datasets(bronze_root: Path) -> list[tuple[str, str, Path]]:
    """(domain, dataset, folder) for every `bronze/<domain>/<dataset>/` folder."""
    return [
        (domain.name, dataset.name, dataset)
        for domain in sorted(p for p in bronze_root.iterdir() if p.is_dir() and not is_hidden(p.name))
        for dataset in sorted(p for p in domain.iterdir() if p.is_dir() and not is_hidden(p.name))
    ]


def partition_of(dataset_dir: Path, file: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(keys, values) from the folders between the dataset and the file; a folder that is not
    `key=value` becomes `partition_<i>` as the Glue crawler names it."""
    folders = file.relative_to(dataset_dir).parts[:-1]
    pairs = [f.split("=", 1) if "=" in f else (f"partition_{i}", f) for i, f in enumerate(folders)]
    return tuple(k.lower() for k, _ in pairs), tuple(v for _, v in pairs)


def scan_dataset(domain: str, dataset: str, folder: Path, sample_size: int = DEFAULT_SAMPLE_SIZE) -> DatasetScan:
    scan = DatasetScan(domain, dataset, folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not any(map(is_hidden, p.relative_to(folder).parts)))
    layouts = {file: partition_of(folder, file) for file in files}
    scan.partition_keys = Counter(keys for keys, _ in layouts.values()).most_common(1)[0][0] if files else ()
    readable: list[FileSchema] = []
    for file in files:
        keys, values = layouts[file]
        if keys != scan.partition_keys:
            layout = f"partitioned by {keys or '()'}, the dataset by {scan.partition_keys}"
            scan.problems.append(FileProblem(file, layout))
            continue
        try:
            readable.append(infer_file(file, sample_size))
        except UnreadableFile as problem:
            scan.problems.append(FileProblem(file, str(problem)))
            continue
        except Exception as error:  # noqa: BLE001 - one file never stops the crawl
            scan.problems.append(FileProblem(file, f"cannot be crawled: {type(error).__name__}: {error}"))
            continue
        if values:
            scan.partitions.setdefault(values, CatalogPartition(values, str(file.parent)))
    scan.files = readable
    majority = scan.classification
    for schema in readable:
        if schema.classification != majority:
            scan.problems.append(FileProblem(schema.path, f"{schema.classification} file in a {majority} dataset"))
    scan.files = [s for s in readable if s.classification == majority]
    return scan


def scan_bronze(bronze_root: Path, sample_size: int = DEFAULT_SAMPLE_SIZE) -> list[DatasetScan]:
    if not bronze_root.is_dir():
        return []
    return [scan_dataset(d, n, p, sample_size) for d, n, p in discover_datasets(bronze_root)]


# ---- the table a scan describes ---------------------------------------------------------
def crawler_parameters(scan: DatasetScan, schema_version: int, crawled_at: datetime) -> dict[str, str]:
    """The table parameters a Glue crawler records, plus the crawl time and schema version."""
    records = sum(f.records for f in scan.files)
    size = sum(f.path.stat().st_size for f in scan.files)
    parameters = {
        "classification": scan.classification or "unknown",
        "recordCount": str(records),
        "averageRecordSize": str(size // records if records else 0),
        "objectCount": str(len(scan.files)),
        "sizeKey": str(size),
        "compressionType": "none",
        "typeOfData": "file",
        "UPDATED_BY_CRAWLER": CRAWLER_NAME,
        "lastCrawledAt": crawled_at.isoformat(timespec="seconds"),
        "schemaVersion": str(schema_version),
    }
    if scan.classification == "csv":
        parameters |= {"delimiter": ",", "skip.header.line.count": "1"}
    return parameters


def inferred_table(scan: DatasetScan, schema_version: int, crawled_at: datetime) -> CatalogTable:
    return CatalogTable(
        database=scan.database,
        name=scan.dataset,
        columns=tuple(Column(n, t) for n, t in scan.columns),
        partition_keys=tuple(Column(k, PARTITION_KEY_TYPE) for k in scan.partition_keys),
        location=str(scan.location),
        classification=scan.classification or "unknown",
        description=f"{scan.domain}/{scan.dataset} as landed, discovered by the crawler",
        parameters=crawler_parameters(scan, schema_version, crawled_at),
    )


# ---- planning against the catalog -------------------------------------------------------
@dataclass
class TablePlan:
    """What a crawl changes in one table, after the schema-change policy."""

    scan: DatasetScan
    table: CatalogTable | None  # the entry to write; None when the dataset has no readable file
    current: CatalogTable | None
    added_columns: list[Column] = field(default_factory=list)
    widened: list[tuple[str, str, str]] = field(default_factory=list)
    incompatible: list[str] = field(default_factory=list)
    added_partitions: list[CatalogPartition] = field(default_factory=list)
    removed_partitions: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.table is None:
            return "skipped"
        if self.current is None:
            return "create"
        if self.added_columns or self.widened:
            return "update schema"
        if self.added_partitions or self.removed_partitions:
            return "update partitions"
        return "unchanged"

    @property
    def schema_changed(self) -> bool:
        return self.action in ("create", "update schema")


def _evolve_columns(plan: TablePlan, current: CatalogTable, inferred: dict[str, str]) -> list[Column]:
    """The current columns with safe changes applied; incompatible ones kept and reported."""
    columns = []
    for column in current.columns:
        new_type = inferred.get(column.name)
        if new_type is None:
            plan.incompatible.append(f"column {column.name} is in the catalog but in no file any more")
        elif new_type != column.type and widens_to(column.type, new_type):
            plan.widened.append((column.name, column.type, new_type))
            column = Column(column.name, new_type, column.comment)
        elif new_type != column.type:
            plan.incompatible.append(f"column {column.name}: {column.type} -> {new_type} is not a safe widening")
        columns.append(column)
    known = {c.name for c in current.columns}
    plan.added_columns = [Column(n, t) for n, t in inferred.items() if n not in known]
    return columns + plan.added_columns


def plan_table(
    scan: DatasetScan,
    current: CatalogTable | None,
    current_partitions: set[str],
    crawled_at: datetime,
) -> TablePlan:
    """Compare what the files say with what the catalog holds, under the change policy."""
    if not scan.files:
        return TablePlan(scan, None, current)
    if current is None:
        table = inferred_table(scan, 1, crawled_at)
        return TablePlan(scan, table, None, added_partitions=list(scan.partitions.values()))

    plan = TablePlan(scan, None, current)
    columns = _evolve_columns(plan, current, dict(scan.columns))
    if scan.classification != current.classification:
        plan.incompatible.append(f"format {current.classification} -> {scan.classification}")
    version = int(current.parameters.get("schemaVersion", "1")) + bool(plan.added_columns or plan.widened)
    inferred = inferred_table(scan, version, crawled_at)
    plan.table = replace(
        inferred,
        columns=tuple(columns),
        partition_keys=current.partition_keys,
        classification=current.classification,
        description=current.description or inferred.description,
    )
    if scan.partition_keys != current.partition_names:
        plan.incompatible.append(f"partition keys {current.partition_names} -> {scan.partition_keys}")
        return plan  # partitions of another layout cannot be registered in this table
    found = {p.spec(scan.partition_keys): p for p in scan.partitions.values()}
    plan.added_partitions = [p for spec, p in sorted(found.items()) if spec not in current_partitions]
    plan.removed_partitions = sorted(current_partitions - set(found))
    return plan


@dataclass
class CrawlResult:
    plans: list[TablePlan]
    dry_run: bool
    sample_size: int

    @property
    def incompatible(self) -> list[tuple[str, str]]:
        return [(p.table.qualified_name, msg) for p in self.plans if p.table for msg in p.incompatible]

    @property
    def problems(self) -> list[FileProblem]:
        return [problem for plan in self.plans for problem in plan.scan.problems]

    def exit_code(self, on_incompatible: str = "fail") -> int:
        """1 when an incompatible change was held back, unless told to log it only.

        Unreadable files do not fail the crawl: they are reported, the rest is crawled.
        """
        return 1 if self.incompatible and on_incompatible == "fail" else 0


def crawl(bronze_root: Path, catalog, sample_size: int = DEFAULT_SAMPLE_SIZE, dry_run: bool = False) -> CrawlResult:
    """Scan bronze, plan every table against `catalog`, and apply the plans unless dry-run.

    `catalog` needs `table(database, name)`, `partition_specs(table)` and `apply(plan)`
    (see `local.catalog.metastore.LocalCatalog`).
    """
    crawled_at = datetime.now(UTC)
    plans = []
    for scan in scan_bronze(bronze_root, sample_size):
        current = catalog.table(scan.database, scan.dataset)
        specs = catalog.partition_specs(current) if current else set()
        plan = plan_table(scan, current, specs, crawled_at)
        if not dry_run and plan.table is not None:
            catalog.apply(plan)
        plans.append(plan)
    return CrawlResult(plans, dry_run, sample_size)


# ---- the report -------------------------------------------------------------------------
def _plan_lines(plan: TablePlan, dry_run: bool) -> list[str]:
    scan = plan.scan
    would = "would " if dry_run else ""
    if plan.table is None:
        lines = [f"  {scan.database}.{scan.dataset:<22} no readable file: {would}skip"]
    else:
        t = plan.table
        keys = ", ".join(t.partition_names) or "none"
        lines = [
            f"  {t.qualified_name:<34} {t.classification:<8} {len(t.columns):>2} columns  "
            f"partitions ({keys}): {len(scan.partitions)} (+{len(plan.added_partitions)}"
            f" -{len(plan.removed_partitions)})  ~{int(t.parameters['recordCount']):,} records  "
            f"schema v{t.parameters['schemaVersion']}  {'' if plan.action == 'unchanged' else would}{plan.action}"
        ]
        if plan.action == "create":
            lines += [f"      {c.name} {c.type}" for c in t.columns]
    lines += [f"    + {would}add column {c.name} {c.type}" for c in plan.added_columns if plan.current]
    lines += [f"    ~ {would}widen column {n}: {old} -> {new}" for n, old, new in plan.widened]
    if plan.added_partitions:
        specs = ", ".join(p.spec(scan.partition_keys) for p in plan.added_partitions)
        lines.append(f"    + {would}add partition(s) {specs}")
    if plan.removed_partitions:
        lines.append(f"    - {would}drop partition(s) {', '.join(plan.removed_partitions)} (folders gone)")
    lines += [f"    ! INCOMPATIBLE, not applied: {message}" for message in plan.incompatible]
    lines += [f"    ? skipped file {p.path}: {p.reason}" for p in scan.problems]
    return lines


def held_back_lines(result: CrawlResult) -> list[str]:
    """What the crawler did not apply and why, for the run summary: held-back schema changes
    and files it could not read (the jobs read them their own way)."""
    lines = [f"  catalog change held back on {table}: {why}" for table, why in result.incompatible]
    lines += [f"  not crawled ({problem.reason}): {problem.path}" for problem in result.problems]
    return lines


def report_lines(result: CrawlResult, bronze_root: Path) -> list[str]:
    mode = "DRY RUN, nothing changed" if result.dry_run else "catalog updated"
    lines = [
        f"Crawler: {len(result.plans)} dataset(s) under {bronze_root} "
        f"(up to {result.sample_size} records sampled per text file; {mode})"
    ]
    for plan in result.plans:
        lines += _plan_lines(plan, result.dry_run)
    if result.incompatible:
        lines.append(f"  {len(result.incompatible)} incompatible change(s) held back (see '!' above)")
    if result.problems:
        lines.append(f"  {len(result.problems)} file(s) could not be crawled (see '?' above); the rest were")
    return lines
