"""One pipeline run in a process of its own, with timings written to a JSON file:
`python -m bench.engines spark|duckdb ...` (the benchmark starts these and samples their memory).

Both write the same shape: per step (job, step, started, seconds), the landed records and the
outcome counts per dataset, then export their gold tables (outside the timed part) for the
comparison.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from jobs.runtime.config import LOCAL_PII_HASH_KEY
from transforms.contracts import GOLD_TABLES

STEP_KEYS = ("job", "step", "started", "seconds")
# The Spark driver's memory (local mode: the whole run). At 5M order lines the process tree
# peaks at 7.5 GB (PSS) with 6g and runs as fast as with 8g (8.7 GB); 4g is 13% slower (bench/NOTES.md).
DRIVER_MEMORY = "6g"


def run_spark(args: argparse.Namespace) -> dict:
    from jobs.pipeline import WHOLE_LAKE
    from jobs.runtime.config import resolve_config
    from jobs.runtime.session import local_session
    from local.runner.pipeline import run_pipeline

    job_argv = ["--lake_root", args.lake, *args.job_arguments]
    config = resolve_config(job_argv, {})
    started = time.time()
    spark = local_session(config.state_uri, master=args.master, driver_memory=args.driver_memory)
    startup = time.time() - started
    # One run of each job for every domain at once, as the benchmark measured before the lake
    # split into domains: the same code, and the engine's work without six runs' overhead.
    run = run_pipeline(spark, job_argv, {}, WHOLE_LAKE)
    steps = [
        (job, step, step_started, seconds)
        for job, record in run.records.items()
        for step, step_started, seconds in record.timeline
    ]
    silver = run.records["bronze_to_silver"]
    result = {
        "engine": "spark",
        "startup_seconds": round(startup, 2),
        "steps": [dict(zip(STEP_KEYS, s, strict=True)) for s in steps],
        "quality_seconds": round(sum(q.seconds for r in run.records.values() for q in r.quality.values()), 2),
        "outcomes": {dataset: ledger.outcomes for dataset, ledger in silver.ledger.items()},
        "bronze_files_read": sum(len(f) for f in silver.inputs.values()),
        "records_per_file": {
            path: sum(counts.values()) for ledger in silver.ledger.values() for path, counts in ledger.files.items()
        },
        "split_files": silver.split_files,
    }
    export_gold(spark, Path(args.export))
    return result


def export_gold(spark, folder: Path) -> None:
    """Every gold table as the catalog has it, into `folder/<database.table>/` (Parquet)."""
    for table in GOLD_TABLES:
        spark.table(table.qualified_name).coalesce(1).write.mode("overwrite").parquet(
            str(folder / table.qualified_name)
        )


def run_duckdb(args: argparse.Namespace) -> dict:
    from bench.duckdb_pipeline import GOLD, run

    started = time.time()
    lake = run(Path(args.bronze), Path(args.lake), args.pii_hash_key, threads=args.threads)
    result = {
        "engine": "duckdb",
        "startup_seconds": 0.0,
        "steps": [
            {"job": "duckdb", "step": step, "started": step_started, "seconds": seconds}
            for step, (step_started, seconds) in lake.timeline.items()
        ],
        "quality_seconds": round(sum(lake.quality_seconds.values()), 2),
        "outcomes": lake.outcomes(),
        "pipeline_started": started,
    }
    for relation, table in GOLD.items():
        target = Path(args.export) / table.qualified_name
        target.mkdir(parents=True, exist_ok=True)
        lake.sql(f"COPY {relation} TO '{target}/part-0.parquet' (FORMAT parquet)")
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.engines", description=__doc__)
    engines = parser.add_subparsers(dest="engine", required=True)
    spark = engines.add_parser("spark", help="the lake's jobs on local Spark")
    spark.add_argument("--lake", required=True, help="lake root (bronze already landed in it)")
    spark.add_argument("--master", default="local[2]")
    spark.add_argument("--driver-memory", default=DRIVER_MEMORY)
    spark.add_argument("--job-arguments", nargs="*", default=[], help="more job arguments, e.g. --full_refresh true")
    duck = engines.add_parser("duckdb", help="the DuckDB twin")
    duck.add_argument("--bronze", required=True)
    duck.add_argument("--lake", required=True, help="where it writes silver, quarantine and gold")
    duck.add_argument("--threads", type=int, default=2)
    duck.add_argument("--pii-hash-key", default=LOCAL_PII_HASH_KEY)
    for sub in (spark, duck):
        sub.add_argument("--result", required=True, help="JSON file for the timings")
        sub.add_argument("--export", required=True, help="folder for the gold tables, one Parquet folder each")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = (run_spark if args.engine == "spark" else run_duckdb)(args)
    Path(args.result).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
