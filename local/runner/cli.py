"""`python -m local ...`: generate sample data, run the lake, query it."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from datetime import date
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from expectations.gate import QualityGateFailed
from jobs.pipeline import DOMAIN_JOBS, WHOLE_LAKE
from jobs.runtime.bookmarks import FileBookmarks
from jobs.runtime.config import BOOKMARK_ENABLE, BOOKMARK_OPTIONS, DEFAULT_LAKE_ROOT, resolve_config
from jobs.runtime.cost import DPU_PER_WORKER, Prices
from jobs.runtime.local import local_path
from jobs.runtime.run_lock import JobAlreadyRunning
from jobs.runtime.session import CLASS_ARCHIVE, DEFAULT_DRIVER_MEMORY, local_session
from jobs.runtime.storage import list_files, write_text
from local.catalog.athena_sql import UntranslatableQuery, athena_to_spark
from local.catalog.crawler import CrawlResult, crawl, held_back_lines, report_lines
from local.catalog.duckdb_views import DUCKDB_FILE, lake_tables, write_views
from local.catalog.glue_catalog import GluePublisher, local_tables
from local.catalog.metastore import LocalCatalog
from local.catalog.published import published_folders
from local.catalog.schema_inference import DEFAULT_SAMPLE_SIZE
from local.cluster.standalone import STATE_FILE, LocalCluster, launch_cluster
from local.runner.class_archive import RECORDING_SAMPLE, ClassArchiveError, build_class_archive
from local.runner.costs import (
    athena_queries,
    cost_lines,
    cost_rows,
    estimate_title,
    estimated_runs,
    glue_runs,
    glue_title,
    saved_runs,
)
from local.runner.pipeline import jobs_of, run_pipeline
from local.runner.products import product_lines, product_states
from local.runner.report import summary_lines, table_counts
from local.sample.generator import GeneratorSettings, write_sample_lake
from local.site.build import SITE_FOLDER, build_site, serve
from transforms.contracts import GOLD_TABLES, SILVER_TABLES, SOURCES

log = logging.getLogger("sales_data_lake")

QUERIES = Path(__file__).resolve().parents[2] / "infra" / "queries"  # the analysts' named queries


def _add_lake_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lake",
        default=os.environ.get("SDL_LAKE_ROOT", DEFAULT_LAKE_ROOT),
        help="lake root folder (default: %(default)s)",
    )
    parser.add_argument("--master", default="local[*]", help="Spark master URL (default: %(default)s)")
    parser.add_argument(
        "--driver-memory",
        default=os.environ.get("SDL_SPARK_DRIVER_MEMORY", DEFAULT_DRIVER_MEMORY),
        help="memory of the Spark driver, which runs the tasks in local mode (default: %(default)s)",
    )


def _add_generator_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = GeneratorSettings()
    parser.add_argument("--orders", type=int, default=defaults.orders, help="orders to generate")
    parser.add_argument("--days", type=int, default=defaults.days, help="ingest days to generate")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed")
    parser.add_argument("--start", type=date.fromisoformat, default=defaults.start, help="first day")


def _add_crawl_arguments(parser: argparse.ArgumentParser, gates: bool = True) -> None:
    parser.add_argument(
        "--sample-size", type=int, default=DEFAULT_SAMPLE_SIZE, help="records sampled per text file (%(default)s)"
    )
    if not gates:  # in a run, as on AWS, the crawler never stops the jobs
        return
    parser.add_argument(
        "--on-incompatible",
        choices=("fail", "log"),
        default="fail",
        help="an incompatible schema change fails the crawl (exit 1) or is only logged (default: %(default)s)",
    )


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
    run.add_argument(
        "--job-bookmark-option",
        choices=BOOKMARK_OPTIONS,
        default=BOOKMARK_ENABLE,
        help="enable: read only new input and remember it; pause: read only new input; disable: read all",
    )
    run.add_argument("--full-refresh", action="store_true", help="rebuild gold from all of silver")
    run.add_argument("--lock-wait-seconds", type=float, default=0, help="wait this long for a running job")
    run.add_argument(
        "--domain",
        choices=sorted({job.domain for job in DOMAIN_JOBS}),
        default="",
        help="run only this domain's jobs (default: every domain's, in dependency order)",
    )
    _add_crawl_arguments(run, gates=False)

    crawl = commands.add_parser("crawl", help="discover bronze schemas and partitions into the catalog")
    _add_lake_arguments(crawl)
    _add_crawl_arguments(crawl)
    crawl.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")

    bookmarks = commands.add_parser("bookmarks", help="show, reset or rewind a job's bookmark")
    bookmarks.add_argument("action", choices=("show", "reset", "rewind"))
    bookmarks.add_argument("--lake", default=os.environ.get("SDL_LAKE_ROOT", DEFAULT_LAKE_ROOT), help="lake root")
    job_names = [job.name for job in (*DOMAIN_JOBS, *WHOLE_LAKE)]
    bookmarks.add_argument("--job", required=True, choices=job_names, help="the job run (a domain's, or the lake's)")
    bookmarks.add_argument("--run", help="rewind: the committed run to go back to (see `show`)")

    published = commands.add_parser("published", help="the folders the catalog publishes per table, as JSON")
    _add_lake_arguments(published)

    cost = commands.add_parser("cost", help="what the runs here would cost on AWS Glue, per day, domain and job")
    cost.add_argument("--lake", default=os.environ.get("SDL_LAKE_ROOT", DEFAULT_LAKE_ROOT), help="lake root")
    cost.add_argument("--worker-type", default="G.1X", choices=sorted(DPU_PER_WORKER), help="Glue worker type")
    cost.add_argument("--workers", type=int, default=2, help="Glue workers per job (default: %(default)s)")
    cost.add_argument("--dpu-hour-usd", type=float, default=Prices().standard, help="price per DPU-hour")
    cost.add_argument("--flex-dpu-hour-usd", type=float, default=Prices().flex, help="Flex price per DPU-hour")
    cost.add_argument("--athena-tb-usd", type=float, default=Prices().athena_tb, help="Athena price per TB scanned")
    cost.add_argument(
        "--glue",
        metavar="DEPLOYMENT",
        help="the real cost of a deployment (Terraform's <project>-<environment>, e.g. sdl-dev) from "
        "GetJobRuns and its Athena workgroup, with the AWS settings of the environment",
    )

    products = commands.add_parser("products", help="every data product: owner, version, service levels, quality")
    products.add_argument("--lake", default=os.environ.get("SDL_LAKE_ROOT", DEFAULT_LAKE_ROOT), help="lake root")

    publish = commands.add_parser(
        "publish-catalog", help="publish the local catalog to the AWS Glue Data Catalog (AWS config from the env)"
    )
    _add_lake_arguments(publish)
    publish.add_argument(
        "--rebase",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="publish locations under OLD as under NEW, e.g. /home/me/lake=s3://bucket/lake (repeatable)",
    )

    cluster = commands.add_parser("cluster", help="start or stop a Spark standalone cluster on this machine")
    cluster.add_argument("action", choices=("start", "stop"))
    cluster.add_argument("--dir", type=Path, default=Path("cluster"), help="logs and state (default: %(default)s)")
    cluster.add_argument("--workers", type=int, default=2, help="workers to start (default: %(default)s)")
    cluster.add_argument("--cores", type=int, default=1, help="cores per worker (default: %(default)s)")
    cluster.add_argument("--memory", default="2g", help="memory per worker (default: %(default)s)")
    cluster.add_argument("--port", type=int, default=7077, help="the master's port (default: %(default)s)")

    docs = commands.add_parser("docs", help="build the catalog site from the contracts and the lake's DuckDB database")
    docs.add_argument("--lake", default=os.environ.get("SDL_LAKE_ROOT", DEFAULT_LAKE_ROOT), help="lake root")
    serve = commands.add_parser("serve", help="serve the catalog site on 127.0.0.1")
    serve.add_argument("--lake", default=os.environ.get("SDL_LAKE_ROOT", DEFAULT_LAKE_ROOT), help="lake root")
    serve.add_argument("--port", type=int, default=8000, help="the port (default: %(default)s; 0 picks a free one)")

    archive = commands.add_parser(
        "class-archive", help="record the local driver's classes into one archive its JVM maps at start"
    )
    archive.add_argument("--out", default=CLASS_ARCHIVE, help="the archive (default: %(default)s)")
    archive.add_argument("--orders", type=int, default=RECORDING_SAMPLE.orders, help="orders of the recording's sample")
    archive.add_argument("--days", type=int, default=RECORDING_SAMPLE.days, help="days of the recording's sample")

    views = commands.add_parser("duckdb", help="a DuckDB database with a view per lake table (no JVM to read it)")
    _add_lake_arguments(views)
    views.add_argument("--out", help=f"the database file (default: <lake>/{DUCKDB_FILE})")

    query = commands.add_parser("query", help="run Spark SQL (or Athena SQL) against the lake's catalog")
    _add_lake_arguments(query)
    query.add_argument("sql", nargs="+", help="one or more statements, run in order (@file.sql reads a file)")
    query.add_argument(
        "--dialect",
        choices=("spark", "athena"),
        default="spark",
        help="athena: Athena (Trino) SQL, translated to Spark SQL first (default: %(default)s)",
    )
    query.add_argument(
        "--today", type=date.fromisoformat, help="athena: run as if current_date were this day (YYYY-MM-DD)"
    )
    query.add_argument(
        "--json", action="store_true", help="one JSON line per statement (statement, columns, rows) instead of tables"
    )
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
    job_argv = [
        *("--lake_root", args.lake, "--quality_mode", args.quality_mode),
        *("--job-bookmark-option", args.job_bookmark_option, "--full_refresh", str(args.full_refresh)),
        *("--lock_wait_seconds", str(args.lock_wait_seconds)),
    ]
    config = resolve_config(job_argv, os.environ)
    seconds: dict[str, float] = {}

    started = time.time()
    spark = local_session(config.state_uri, master=args.master, driver_memory=args.driver_memory)
    seconds["start spark"] = round(time.time() - started, 2)

    if not list_files(spark, config.bronze_uri):
        started = time.time()
        cmd_generate(args)
        seconds["generate sample data"] = round(time.time() - started, 2)

    started = time.time()
    crawled = crawl_bronze(spark, config, args)  # what it holds back is reported; the jobs run
    seconds["crawl bronze"] = round(time.time() - started, 2)

    try:
        run = run_pipeline(spark, job_argv, dict(os.environ), jobs_of(args.domain))
    except (QualityGateFailed, JobAlreadyRunning) as failure:
        print(f"\nFAILED: {failure}", file=sys.stderr)
        return 1
    seconds.update(run.seconds)
    started = time.time()
    database = Path(args.lake) / DUCKDB_FILE
    views = write_views(spark, lake_tables(), database)
    site = site_folder(args.lake)
    build_site(database, site, QUERIES, latest=list(run.records.values()))
    seconds["duckdb views and site"] = round(time.time() - started, 2)

    lines = summary_lines(config, list(run.records.values()), table_counts(spark), seconds, held_back_lines(crawled))
    report_uri = config.state_path("reports", "latest.md")
    write_text(spark, report_uri, "\n".join(lines) + "\n")
    where = [
        f"  duckdb      {database} ({len(views)} views)",
        f"  site        {site / 'index.html'} (python -m local serve)",
        f"  report      {report_uri}, with charts: {site / 'report.html'}",
    ]
    print("\n".join(lines + where))
    return 0


def crawl_bronze(spark, config, args: argparse.Namespace, dry_run: bool = False) -> CrawlResult:
    """Crawl bronze into the local catalog and print what was found."""
    bronze = local_path(config.bronze_uri)
    result = crawl(bronze, LocalCatalog(spark), sample_size=args.sample_size, dry_run=dry_run)
    print("\n".join(report_lines(result, bronze)))
    return result


def cmd_crawl(args: argparse.Namespace) -> int:
    config = resolve_config(["--lake_root", args.lake], os.environ)
    spark = local_session(config.state_uri, master=args.master, driver_memory=args.driver_memory)
    return crawl_bronze(spark, config, args, dry_run=args.dry_run).exit_code(args.on_incompatible)


def cmd_bookmarks(args: argparse.Namespace) -> int:
    config = resolve_config(["--lake_root", args.lake], os.environ)
    store = FileBookmarks(local_path(config.state_uri), args.job)
    if args.action == "reset":
        store.reset()
        print(f"{args.job}: bookmark reset; its next run reads every landed file")
    elif args.action == "rewind":
        if not args.run:
            raise SystemExit("rewind needs --run RUN_ID (one of the runs `show` lists)")
        try:
            store.rewind(args.run)
        except ValueError as error:
            raise SystemExit(str(error)) from None
        print(f"{args.job}: bookmark rewound to after run {args.run}; later input will be read again")
    files = store.summary()
    print(f"{args.job}: committed runs: {', '.join(store.runs()) or 'none'}")
    print("\n".join(f"  {name}: {n} file(s) read" for name, n in files.items()) or "  nothing read yet")
    return 0


def cmd_published(args: argparse.Namespace) -> int:
    config = resolve_config(["--lake_root", args.lake], os.environ)
    spark = local_session(config.state_uri, master=args.master, driver_memory=args.driver_memory)
    print(json.dumps(published_folders(spark, SILVER_TABLES + GOLD_TABLES), indent=2))
    return 0


def cmd_cost(args: argparse.Namespace) -> int:
    prices = Prices(standard=args.dpu_hour_usd, flex=args.flex_dpu_hour_usd, athena_tb=args.athena_tb_usd)
    if args.glue:
        try:
            billed = glue_runs(boto3.client("glue"), args.glue, prices)
            billed += athena_queries(boto3.client("athena"), f"{args.glue}-analysts", prices)
        except (BotoCoreError, ClientError) as error:
            print(f"cannot read the runs of {args.glue} from AWS: {error}", file=sys.stderr)
            return 1
        print("\n".join(cost_lines(cost_rows(billed), glue_title(args.glue, prices))))
        return 0
    config = resolve_config(["--lake_root", args.lake], os.environ)
    billed = estimated_runs(saved_runs(local_path(config.state_uri)), args.workers, args.worker_type, prices)
    print("\n".join(cost_lines(cost_rows(billed), estimate_title(args.workers, args.worker_type, prices))))
    return 0


def cmd_products(args: argparse.Namespace) -> int:
    config = resolve_config(["--lake_root", args.lake], os.environ)
    tables = SILVER_TABLES + GOLD_TABLES  # the data products (quarantine and ops are each domain's own)
    print("\n".join(product_lines(product_states(tables, SOURCES, local_path(config.state_uri)))))
    return 0


def _rebases(pairs: list[str]) -> dict[str, str]:
    bad = [pair for pair in pairs if "=" not in pair]
    if bad:
        raise SystemExit(f"--rebase takes OLD=NEW, got {bad[0]!r}")
    return dict(pair.split("=", 1) for pair in pairs)


def cmd_publish_catalog(args: argparse.Namespace) -> int:
    config = resolve_config(["--lake_root", args.lake], os.environ)
    spark = local_session(config.state_uri, master=args.master, driver_memory=args.driver_memory)
    try:
        publisher = GluePublisher(boto3.client("glue"), _rebases(args.rebase))
        report = publisher.publish(local_tables(LocalCatalog(spark)))
    except (BotoCoreError, ClientError) as error:
        print(f"FAILED: the Glue Data Catalog refused or could not be reached: {error}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


def cmd_cluster(args: argparse.Namespace) -> int:
    if args.action == "stop":
        if not (args.dir / STATE_FILE).exists():
            print(f"no cluster started from {args.dir}")
            return 1
        LocalCluster.load(args.dir).stop()
        (args.dir / STATE_FILE).unlink()
        print("cluster stopped")
        return 0
    cluster = launch_cluster(args.dir, args.workers, args.cores, args.memory, port=args.port)
    cluster.wait_until_up()
    cluster.save()
    print(f"master {cluster.master_url} (web UI {cluster.ui_url}), {args.workers} worker(s); logs in {args.dir}")
    print(f"run the lake on it:  make run-local SPARK_MASTER={cluster.master_url}")
    print("stop it:             make cluster-stop")
    return 0


def _query_text(argument: str) -> str:
    return Path(argument[1:]).read_text() if argument.startswith("@") else argument


def site_folder(lake: str) -> Path:
    config = resolve_config(["--lake_root", lake], os.environ)
    return local_path(config.state_uri) / SITE_FOLDER


def cmd_docs(args: argparse.Namespace) -> int:
    database = Path(args.lake) / DUCKDB_FILE
    if not database.exists():
        print(f"{database} does not exist: `make run-local` (or `python -m local duckdb`) writes it", file=sys.stderr)
        return 1
    index = build_site(database, site_folder(args.lake), QUERIES)[0]
    print(f"the catalog site: {index} (or `python -m local serve`)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    folder = site_folder(args.lake)
    if not (folder / "index.html").exists():
        print(f"no site in {folder}: `make docs` builds it", file=sys.stderr)
        return 1
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how it stops
        serve(folder, args.port)
    return 0


def cmd_class_archive(args: argparse.Namespace) -> int:
    started = time.time()
    sample = GeneratorSettings(orders=args.orders, days=args.days)
    try:
        archive = build_class_archive(Path(args.out), sample)
    except ClassArchiveError as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    size_mb = archive.stat().st_size / 1e6
    print(f"class archive {archive} ({size_mb:.0f} MB) recorded in {time.time() - started:.0f} s")
    return 0


def cmd_duckdb(args: argparse.Namespace) -> int:
    config = resolve_config(["--lake_root", args.lake], os.environ)
    spark = local_session(config.state_uri, master=args.master, driver_memory=args.driver_memory)
    database = Path(args.out or Path(args.lake) / DUCKDB_FILE)
    views = write_views(spark, lake_tables(), database)
    print(f"{database}: {len(views)} views ({', '.join(views)})")
    print(f"  read it without a JVM: duckdb.connect({str(database)!r}, read_only=True).sql('FROM <view>')")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    config = resolve_config(["--lake_root", args.lake], os.environ)
    texts = [_query_text(argument) for argument in args.sql]
    spark = local_session(config.state_uri, master=args.master, driver_memory=args.driver_memory)
    statements = texts
    if args.dialect == "athena":
        try:
            statements = [s for text in texts for s in athena_to_spark(text, spark.catalog.functionExists, args.today)]
        except UntranslatableQuery as error:
            print(f"cannot run this Athena query here: {error}", file=sys.stderr)
            return 2
    for statement in statements:
        result = spark.sql(statement)
        if args.json:
            rows = [list(row) for row in result.collect()]
            print(json.dumps({"statement": statement, "columns": result.columns, "rows": rows}, default=str))
            continue
        print(f"> {statement}")
        result.show(1000, truncate=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    commands = {
        "generate": cmd_generate,
        "run": cmd_run,
        "crawl": cmd_crawl,
        "bookmarks": cmd_bookmarks,
        "products": cmd_products,
        "cost": cmd_cost,
        "published": cmd_published,
        "publish-catalog": cmd_publish_catalog,
        "cluster": cmd_cluster,
        "query": cmd_query,
        "duckdb": cmd_duckdb,
        "class-archive": cmd_class_archive,
        "docs": cmd_docs,
        "serve": cmd_serve,
    }
    return commands[args.command](args)
