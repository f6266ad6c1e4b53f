"""`python -m bench ...`: the Spark pipeline against its DuckDB twin (`make bench`).

run      generate data, run both engines at each scale, compare, save results, write RESULTS.md
report   write RESULTS.md again from the saved results
tests    time `make test-local` and keep the figure for RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path

from bench.engines import DRIVER_MEMORY
from bench.report import write_results
from bench.run import REPEAT, REPEAT_UP_TO, log, run_benchmark

HERE = Path(__file__).resolve().parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the benchmark")
    run.add_argument(
        "--scales",
        type=int,
        nargs="*",
        default=[1_000_000, 5_000_000, 20_000_000],
        help="order lines per scale (none: skip)",
    )
    run.add_argument("--days", type=int, default=365, help="days of history (one file per dataset and day)")
    run.add_argument(
        "--repeat",
        type=int,
        default=REPEAT,
        help="runs of each engine per scale, alternating (the median is reported), up to --repeat-up-to",
    )
    run.add_argument(
        "--repeat-up-to",
        type=int,
        default=REPEAT_UP_TO,
        help="the largest scale (order lines) run --repeat times; larger ones run once",
    )
    run.add_argument(
        "--incremental-scale", type=int, default=5_000_000, help="scale of the one-new-day benchmark (0: none)"
    )
    run.add_argument(
        "--big-file-gb", type=float, default=2.1, help="one order file of this size through the lake (0: none)"
    )
    run.add_argument("--data-dir", type=Path, default=HERE / ".data", help="generated data (kept between runs)")
    run.add_argument("--work-dir", type=Path, default=HERE / ".work", help="lakes and logs of the runs")
    run.add_argument("--driver-memory", default=DRIVER_MEMORY, help="Spark driver memory (local mode: the whole run)")
    run.add_argument("--master", default="local[2]", help="Spark master (DuckDB gets as many threads as cores)")
    commands.add_parser("report", help="write RESULTS.md from bench/results/*.json")
    tests = commands.add_parser("tests", help="time `make test-local`")
    tests.add_argument(
        "--repo", type=Path, default=HERE.parent, help="where to run it: a fresh clone times the setup too"
    )
    for command in commands.choices.values():
        command.add_argument(
            "--results-dir", type=Path, default=HERE / "results", help="saved results; RESULTS.md goes beside it"
        )
    return parser


def time_test_suite(results_dir: Path, repo: Path) -> None:
    fresh = not (repo / ".venv" / ".installed").exists()  # the Makefile's setup stamp
    started = time.time()
    completed = subprocess.run(["make", "test-local"], cwd=repo, capture_output=True, text=True)
    seconds = round(time.time() - started)
    summary = next((line for line in reversed(completed.stdout.splitlines()) if " in " in line), "")
    record = {
        "seconds": seconds,
        "exit_code": completed.returncode,
        "summary": summary.strip("= "),
        "setup_included": fresh,
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "test_suite.json").write_text(json.dumps(record, indent=1))
    log(f"make test-local: {seconds}s, exit {completed.returncode}: {record['summary']}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        run_benchmark(
            args.scales,
            args.days,
            args.repeat,
            args.repeat_up_to,
            args.incremental_scale or None,
            args.data_dir,
            args.work_dir,
            args.results_dir,
            args.driver_memory,
            args.master,
            int(args.big_file_gb * 1e9),
        )
    elif args.command == "tests":
        time_test_suite(args.results_dir, args.repo.resolve())
    path = write_results(args.results_dir, args.results_dir.parent / "RESULTS.md")
    log(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
