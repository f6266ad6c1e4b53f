"""`python -m local ...`: generate sample data, run the lake, query it."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from datetime import date
from pathlib import Path

from expectations.gate import QualityGateFailed
from jobs.runtime.config import DEFAULT_LAKE_ROOT, resolve_config
from jobs.runtime.session import local_session
from jobs.runtime.storage import list_files, write_text
from local.generator import GeneratorSettings, write_sample_lake
from local.report import summary_lines, table_counts
from local.runner import run_pipeline

log = logging.getLogger("sales_data_lake")


def _add_lake_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lake",
        default=os.environ.get("SDL_LAKE_ROOT", DEFAULT_LAKE_ROOT),
        help="lake root folder (default: %(default)s)",
    )
    parser.add_argument("--master", default="local[*]", help="Spark master URL (default: %(default)s)")


def _add_generator_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = GeneratorSettings()
    parser.add_argument("--orders", type=int, default=defaults.orders, help="orders to generate")
    parser.add_argument("--days", type=int, default=defaults.days, help="ingest days to generate")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed")
    parser.add_argument("--start", type=date.fromisoformat, default=defaults.start, help="first day")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m local", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="land sample sales data in bronze")
    _add_lake_arguments(generate)
    _add_generator_arguments(generate)

    run = commands.add_parser("run", help="run the whole lake (generates sample data if bronze is empty)")
    _add_lake_arguments(run)
    _add_generator_arguments(run)
    run.add_argument("--quality-mode", choices=("enforce", "warn"), default="enforce")

    query = commands.add_parser("query", help="run Spark SQL against the lake's catalog")
    _add_lake_arguments(query)
    query.add_argument("sql")
    return parser


def _settings(args: argparse.Namespace) -> GeneratorSettings:
    return GeneratorSettings(orders=args.orders, days=args.days, seed=args.seed, start=args.start)


def cmd_generate(args: argparse.Namespace) -> int:
    lake = Path(args.lake)
    truth = write_sample_lake(lake / "bronze", lake / "ground_truth", _settings(args))
    records = truth["record_outcomes"]
    files = {path for path, _, _ in records}
    print(f"landed {len(records)} records in {len(files)} files under {lake / 'bronze'}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    job_argv = ["--lake_root", args.lake, "--quality_mode", args.quality_mode]
    config = resolve_config(job_argv, os.environ)
    seconds: dict[str, float] = {}

    started = time.time()
    spark = local_session(config.state_uri, master=args.master)
    seconds["start spark"] = round(time.time() - started, 2)

    if not list_files(spark, config.bronze_uri):
        started = time.time()
        cmd_generate(args)
        seconds["generate sample data"] = round(time.time() - started, 2)

    try:
        run = run_pipeline(spark, job_argv, dict(os.environ))
    except QualityGateFailed as failure:
        print(f"\nFAILED: {failure}", file=sys.stderr)
        return 1
    seconds.update(run.seconds)

    lines = summary_lines(config, run.manifests, table_counts(spark), seconds)
    report_uri = config.state_path("reports", "latest.md")
    write_text(spark, report_uri, "\n".join(lines) + "\n")
    print("\n".join(lines + [f"  report      {report_uri}"]))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    config = resolve_config(["--lake_root", args.lake], os.environ)
    spark = local_session(config.state_uri, master=args.master)
    spark.sql(args.sql).show(100, truncate=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    return {"generate": cmd_generate, "run": cmd_run, "query": cmd_query}[args.command](args)
