"""What the catalog site shows, read without a JVM: the contracts, and the lake's DuckDB
database (`lake.duckdb`: a view per table, local.catalog.duckdb_views), whose ops tables
hold every run, figure and service level the jobs kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from jobs.silver.datasets import DATASETS
from local.catalog.athena_sql import UntranslatableQuery, athena_to_spark
from transforms.contract_types import TableContract
from transforms.contracts import GOLD_TABLES, QUARANTINE_TABLES, SILVER_TABLES, SOURCES

PRODUCTS = SILVER_TABLES + GOLD_TABLES  # the data products: what other domains and analysts read
OPS_TABLES = ("job_runs", "run_figures", "sla_history")
EXAMPLE_ROWS = 5


def lineage_edges() -> list[tuple[str, str]]:
    """(from, to) between landed sources, silver, quarantine and gold, by catalog name: each
    dataset's source feeds its silver table and its domain's quarantine; each product is
    built from the inputs its contract names."""
    edges = []
    for dataset in DATASETS:
        source = dataset.source.qualified_name
        edges += [
            (source, dataset.table.qualified_name),
            (source, QUARANTINE_TABLES[dataset.source.domain].qualified_name),
        ]
    edges += [(i, table.qualified_name) for table in PRODUCTS for i in table.inputs]
    return list(dict.fromkeys(edges))


def layer_of(name: str) -> str:
    """A catalog name's layer: `sales_gold.daily_sales` -> gold."""
    return name.split(".", 1)[0].rsplit("_", 1)[1]


def connected(name: str, edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The edges on a path through `name` (everything it comes from and everything built from
    it), and where those sources' rejected records went (quarantine)."""
    kept: set[tuple[str, str]] = set()
    for forward in (True, False):
        frontier = {name}
        while frontier:
            step = {(a, b) for a, b in edges if (a if forward else b) in frontier} - kept
            kept |= step
            frontier = {b if forward else a for a, b in step}
    nodes = {n for edge in kept for n in edge} | {name}
    kept |= {(a, b) for a, b in edges if a in nodes and layer_of(b) == "quarantine"}
    return [edge for edge in edges if edge in kept]


@dataclass(frozen=True)
class QueryExample:
    name: str
    description: str
    athena_sql: str
    tables: tuple[str, ...]
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    error: str = ""


def _description(sql: str) -> str:
    return " ".join(line.removeprefix("--").strip() for line in sql.splitlines() if line.startswith("--"))


def run_examples(db: duckdb.DuckDBPyConnection, folder: Path, today: date) -> list[QueryExample]:
    """The analysts' named queries (Athena SQL), each run on the lake's views: first rows."""
    examples = []
    for path in sorted(folder.glob("*.sql")):
        sql = path.read_text()
        tables = tuple(sorted({f"{t.db}.{t.name}" for t in sqlglot.parse_one(sql, read="athena").find_all(exp.Table)}))
        base = QueryExample(path.stem, _description(sql), sql, tables)
        try:
            (statement,) = athena_to_spark(sql, today=today, dialect="duckdb")
            result = db.sql(statement)
            examples.append(
                QueryExample(
                    **{**base.__dict__, "columns": result.columns, "rows": result.limit(EXAMPLE_ROWS).fetchall()}
                )
            )
        except (UntranslatableQuery, duckdb.Error) as error:
            examples.append(QueryExample(**{**base.__dict__, "error": str(error).splitlines()[0]}))
    return examples


class Lake:
    """The facts of one lake, from its DuckDB database (opened read-only)."""

    def __init__(self, database: Path):
        self.db = duckdb.connect(str(database), read_only=True)
        found = self.db.sql("SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        self.views = {f"{schema}.{view}" for schema, view in found}
        self.ops = set()  # the ops tables some domain has: each as one (temporary) view of all
        for name in OPS_TABLES:
            parts = sorted(v for v in self.views if v.endswith(f"_ops.{name}"))
            if parts:
                union = " UNION ALL BY NAME ".join(f"SELECT * FROM {v}" for v in parts)
                self.db.execute(f"CREATE TEMP VIEW all_{name} AS {union}")
                self.ops.add(name)

    def close(self) -> None:
        self.db.close()

    def has(self, table: TableContract | str) -> bool:
        return (table if isinstance(table, str) else table.qualified_name) in self.views

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, list(params)).fetchall()

    def row_count(self, table: TableContract) -> int | None:
        return self.rows(f"SELECT count(*) FROM {table.qualified_name}")[0][0] if self.has(table) else None

    def newest(self, table: TableContract) -> str | None:
        """The newest value of its first partition column (a date), if it has one."""
        if not table.partition_by or not self.has(table):
            return None
        value = self.rows(f'SELECT max("{table.partition_by[0]}") FROM {table.qualified_name}')[0][0]
        return None if value is None else str(value)

    def today(self) -> date:
        """The day after the newest order: the named queries' `current_date`, so a last-30-days
        query shows the sample's last days (labelled on the page)."""
        newest = self.newest(GOLD_TABLES[0]) if self.has(GOLD_TABLES[0]) else None
        return date.fromisoformat(newest) + timedelta(days=1) if newest else date.today()

    def service_levels(self, product: str) -> list[tuple[Any, ...]]:
        """Each service level of a product as its latest check found it."""
        if "sla_history" not in self.ops:
            return []
        return self.rows(
            "SELECT property, agreed, measured, met, checked_at FROM all_sla_history WHERE product = ? "
            "QUALIFY row_number() OVER (PARTITION BY property ORDER BY checked_at DESC) = 1 ORDER BY property",
            product,
        )

    def figures(self, metric: str, **dimensions: str) -> list[tuple[Any, ...]]:
        """(started_at, run_id, job, dimensions, value) of a metric over the runs, oldest first;
        only the figures with these dimension values."""
        if not {"run_figures", "job_runs"} <= self.ops:
            return []
        rows = self.rows(
            "SELECT r.started_at, f.run_id, f.job, f.dimensions, f.value FROM all_run_figures f "
            "JOIN all_job_runs r USING (run_id) WHERE f.metric = ? ORDER BY r.started_at, f.run_id",
            metric,
        )
        wanted = [f"{k}={v}" for k, v in dimensions.items()]
        return [row for row in rows if all(w in row[3].split(",") for w in wanted)]

    def quality_history(self, table: TableContract) -> list[tuple[str, bool]]:
        """(run started at, passed) of the table's quality suite, oldest first."""
        return [
            (str(at)[:16], value == 0)
            for at, *_, value in self.figures("QualitySuiteFailed", Suite=table.qualified_name)
        ]

    def quarantine_history(self, table: TableContract) -> list[tuple[str, dict[str, float]]]:
        """(run started at, {reason: records}) per run of the dataset that fills a silver
        table, oldest first."""
        dataset = next((d.name for d in DATASETS if d.table == table), None)
        if dataset is None:
            return []
        by_run: dict[str, tuple[str, dict[str, float]]] = {}
        for at, run_id, _, dimensions, value in self.figures("RecordsQuarantined", Dataset=dataset):
            reason = dict(pair.split("=", 1) for pair in dimensions.split(","))["Reason"]
            by_run.setdefault(run_id, (str(at)[:16], {}))[1][reason] = value
        return list(by_run.values())

    def last_built(self, table: TableContract) -> str | None:
        """When the newest succeeded run of a job that writes the table ended (UTC)."""
        if "job_runs" not in self.ops:
            return None
        script = "bronze_to_silver" if table.layer == "silver" else "silver_to_gold"
        ended = self.rows(
            "SELECT max(started_at + to_seconds(seconds)) FROM all_job_runs "
            "WHERE status = 'succeeded' AND job IN (?, ?)",
            f"{table.domain}_{script}",
            script,
        )[0][0]
        return None if ended is None else str(ended)[:16]

    def runs(self) -> list[tuple[Any, ...]]:
        """(run_id, job, status, started_at, seconds, estimated_usd, records_in, records_quarantined)."""
        if "job_runs" not in self.ops:
            return []
        return self.rows(
            "SELECT run_id, job, status, started_at, seconds, estimated_usd, records_in, records_quarantined "
            "FROM all_job_runs ORDER BY started_at, run_id"
        )

    def steps(self, run_id: str) -> dict[str, float]:
        if "run_figures" not in self.ops:
            return {}
        rows = self.rows(
            "SELECT dimensions, value FROM all_run_figures WHERE run_id = ? AND metric = 'StepSeconds'", run_id
        )
        return {dict(p.split("=", 1) for p in d.split(","))["Step"]: v for d, v in rows}


SOURCE_NAMES = {source.qualified_name: source for source in SOURCES}
