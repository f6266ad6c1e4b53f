"""bench/RESULTS.md from the saved results (`bench/results/*.json`) and the notes (`bench/NOTES.md`)."""

from __future__ import annotations

import json
from pathlib import Path

# The test suite's bound is the house rule: `make test-local` under 15 minutes, setup included.
TARGETS = {
    "quality_share": 0.15,
    "incremental_share": 0.10,
    "big_file_per_line": 1.5,
    "test_suite_seconds": 900,
}
# Spark's pipeline against DuckDB's, by order lines; a scale larger than PER_MILLION_BASE is held
# to that scale's time per million order lines instead.
RATIO_TARGETS = {1_000_000: 8.0, 5_000_000: 4.0}
PER_MILLION_BASE = 5_000_000


def _load(results_dir: Path) -> tuple[list[dict], dict | None, dict | None]:
    scales = [json.loads(p.read_text()) for p in sorted(results_dir.glob("lines*.json"))]
    scales.sort(key=lambda r: int(r["data"]["order_lines"]))
    suite, big_file = results_dir / "test_suite.json", results_dir / "big_file.json"
    return (
        scales,
        json.loads(suite.read_text()) if suite.exists() else None,
        json.loads(big_file.read_text()) if big_file.exists() else None,
    )


def _median(runs: list[dict]) -> dict:
    from bench.run import median_run

    return median_run(runs)


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _agrees(agreement: list[dict]) -> bool:
    return all(a["only_in_first"] == a["only_in_second"] == 0 and a["rows"][0] == a["rows"][1] for a in agreement)


def pair_ratios(report: dict) -> list[float]:
    """Spark's time over DuckDB's for each pair of runs, in the order they ran (alternating)."""
    runs = report["runs"]
    return [s["pipeline_seconds"] / d["pipeline_seconds"] for s, d in zip(runs["spark"], runs["duckdb"], strict=True)]


def _seconds_per_million_lines(report: dict) -> float:
    return _seconds_per_million(
        _median(report["runs"]["spark"])["pipeline_seconds"], int(report["data"]["order_lines"])
    )


def _scale_target(report: dict, ratio: float, base: dict | None) -> str:
    lines = int(report["data"]["order_lines"])
    if lines in RATIO_TARGETS:
        return f"within {RATIO_TARGETS[lines]:g}x: {_verdict(ratio <= RATIO_TARGETS[lines])}"
    if base is not None and lines > PER_MILLION_BASE:
        rate, base_rate = _seconds_per_million_lines(report), _seconds_per_million_lines(base)
        return (
            f"{rate:.1f} s per million lines, {base_rate:.1f} at {PER_MILLION_BASE // 1_000_000}M: "
            f"{_verdict(rate <= base_rate)}"
        )
    return "-"


def _headline(scales: list[dict]) -> list[str]:
    lines = [
        "| Spark / DuckDB | order lines | landed records | Spark (s) | DuckDB (s) | Spark with session start (s) "
        "| runs | each pair | gold agrees | target |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    base = next((r for r in scales if int(r["data"]["order_lines"]) == PER_MILLION_BASE), None)
    for r in scales:
        spark, duck = _median(r["runs"]["spark"]), _median(r["runs"]["duckdb"])
        ratio = spark["pipeline_seconds"] / duck["pipeline_seconds"]
        agrees = _agrees(r["gold_agreement"]) and not r["outcome_differences"]
        lines.append(
            f"| **{ratio:.1f}x** | {int(r['data']['order_lines']):,} | {r['data']['records_in']:,} "
            f"| {spark['pipeline_seconds']:.1f} | {duck['pipeline_seconds']:.1f} "
            f"| {spark['pipeline_seconds'] + spark['startup_seconds']:.1f} | {len(r['runs']['spark'])} "
            f"| {', '.join(f'{p:.1f}x' for p in pair_ratios(r))} "
            f"| {'yes' if agrees else 'NO'} | {_scale_target(r, ratio, base)} |"
        )
    return lines


def _memory(run: dict) -> str:
    """How a saved run's peaks were measured (runs saved before PSS was sampled have RSS)."""
    if "peak_rss_mb" in run:
        return "as PSS, which counts a page the processes share once"
    return "as the sum of each process's resident memory"


def _steps(report: dict) -> list[str]:
    spark, duck = _median(report["runs"]["spark"]), _median(report["runs"]["duckdb"])
    duck_steps = {s["step"]: s for s in duck["steps"]}
    lines = [
        f"Per step at {int(report['data']['order_lines']):,} order lines (rows/s: landed records per second "
        "of the step; peak: the memory of the whole process tree during the step, the JVM included, "
        f"{_memory(spark)}):",
        "",
        "| job | step | Spark (s) | Spark rows/s | Spark peak (MB) | DuckDB (s) | DuckDB rows/s | DuckDB peak (MB) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in spark["steps"]:
        d = duck_steps.get(s["step"])
        twin = f"{d['seconds']:.2f} | {d['rows_per_second'] or 0:,} | {d['peak_mb']:,}" if d else "- | - | -"
        spark_cells = f"{s['seconds']:.2f} | {s['rows_per_second'] or 0:,} | {s['peak_mb']:,}"
        lines.append(f"| {s['job']} | {s['step']} | {spark_cells} | {twin} |")
    lines.append(
        f"| | **whole run** | **{spark['pipeline_seconds']:.1f}** | {spark['rows_per_second']:,} "
        f"| {spark['peak_mb']:,} "
        f"| **{duck['pipeline_seconds']:.1f}** | {duck['rows_per_second']:,} | {duck['peak_mb']:,} |"
    )
    lines.append(
        f"\nSpark's session start (JVM, metastore) adds {spark['startup_seconds']:.1f} s before the first step."
    )
    if "peak_rss_mb" in spark:  # runs saved before PSS was sampled have RSS only
        lines.append(
            f"Summing each process's resident memory instead (RSS, shared pages once per process), the peak "
            f"would read {spark['peak_rss_mb']:,} MB for Spark and {duck['peak_rss_mb']:,} MB for DuckDB."
        )
    return lines


def _quality(scales: list[dict]) -> list[str]:
    lines = [
        "| order lines | quality suites (s) | Spark pipeline (s) | share | target (at most 15%) |",
        "|---:|---:|---:|---:|---|",
    ]
    for r in scales:
        spark = _median(r["runs"]["spark"])
        share = spark["quality_seconds"] / spark["pipeline_seconds"]
        lines.append(
            f"| {int(r['data']['order_lines']):,} | {spark['quality_seconds']:.1f} | {spark['pipeline_seconds']:.1f} "
            f"| {share:.1%} | {_verdict(share <= TARGETS['quality_share'])} |"
        )
    return lines


def _run_row(name: str, run: dict) -> str:
    with_start = run["pipeline_seconds"] + run["startup_seconds"]
    return f"| {name} | {run['pipeline_seconds']:.1f} | {with_start:.1f} | {run['peak_mb']:,} |"


def _incremental(report: dict) -> list[str]:
    inc = report["incremental"]
    new_day, full = inc["new_day"], inc["full_rebuild"]
    share = new_day["pipeline_seconds"] / full["pipeline_seconds"]
    lines = [
        f"A year of history ({int(report['data']['order_lines']):,} order lines over {report['data']['days']} days) "
        "is built; then one more day lands and the pipeline runs again, reading only that day's files "
        f"({inc['new_day_files_read']} files, {inc['new_day_records']:,} records). The full rebuild builds the "
        f"same year and day ({inc['full_records']:,} records) in one run from an empty lake.",
        "",
        "| run | Spark pipeline (s) | with session start (s) | peak (MB) |",
        "|---|---:|---:|---:|",
        _run_row("one new day", new_day),
        _run_row("full rebuild", full),
        "",
        f"One new day takes **{share:.1%}** of the full rebuild's time (target: at most 10%: "
        f"{_verdict(share <= TARGETS['incremental_share'])}). Gold after the new day equals the full rebuild's: "
        f"{'yes' if _agrees(inc['gold_agreement']) else 'NO'}.",
        "",
        *_step_table("step of the new day's run", new_day["steps"]),
    ]
    return lines


def _step_table(title: str, steps: list[dict]) -> list[str]:
    rows = [f"| {s['job']}: {s['step']} | {s['seconds']:.2f} | {s['peak_mb']:,} |" for s in steps]
    return [f"| {title} | seconds | peak (MB) |", "|---|---:|---:|", *rows]


def _big_file(report: dict) -> list[str]:
    run = report["run"]
    conserved = report["records_read"] == report["records_counted"]
    lines = [
        f"The orders of {int(report['data']['order_lines']):,} order lines over {report['data']['days']} days, joined "
        f"into one CSV file of **{report['file_bytes'] / 1e9:.2f} GB** ({report['records_counted']:,} records, "
        "counted without Spark), land beside the other datasets; the whole pipeline runs over them "
        f"(measured {report['machine']['date']}).",
        "",
        "| file | splits read | records read (ledger) | records counted | conserved | Spark pipeline (s) "
        "| landed records/s | peak (MB) |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
        f"| {report['file']} | {report['splits']} | {report['records_read'] or 0:,} | {report['records_counted']:,} "
        f"| {'yes' if conserved else '**NO**'} | {run['pipeline_seconds']:.1f} | {run['rows_per_second']:,} "
        f"| {run['peak_mb']:,} |",
        "",
    ]
    daily = report.get("daily_files")
    if daily is None:  # saved before the daily files ran beside the big one
        return [*lines, *_step_table("step", run["steps"])]
    return [*lines, *_big_file_against_daily(run, report["data"]["records_in"], daily)]


def _seconds_per_million(seconds: float, records: int) -> float:
    return seconds / records * 1e6


def _big_file_against_daily(big: dict, big_records: int, daily: dict) -> list[str]:
    """The one file's time per landed record against the same lines in their daily files."""
    big_rate = _seconds_per_million(big["pipeline_seconds"], big_records)
    daily_rate = _seconds_per_million(daily["run"]["pipeline_seconds"], daily["records_in"])
    ratio = big_rate / daily_rate
    daily_steps = {(s["job"], s["step"]): s for s in daily["run"]["steps"]}
    step_rows = [
        f"| {s['job']}: {s['step']} | {s['seconds']:.2f} | {daily_steps[s['job'], s['step']]['seconds']:.2f} "
        f"| {s['peak_mb']:,} | {daily_steps[s['job'], s['step']]['peak_mb']:,} |"
        for s in big["steps"]
        if (s["job"], s["step"]) in daily_steps
    ]
    return [
        "The same lines in their daily files, run right after it:",
        "",
        "| orders landed as | landed records | Spark pipeline (s) | s per million records | peak (MB) |",
        "|---|---:|---:|---:|---:|",
        f"| one file | {big_records:,} | {big['pipeline_seconds']:.1f} | {big_rate:.1f} | {big['peak_mb']:,} |",
        f"| daily files | {daily['records_in']:,} | {daily['run']['pipeline_seconds']:.1f} | {daily_rate:.1f} "
        f"| {daily['run']['peak_mb']:,} |",
        "",
        f"Time per line on the one file: **{ratio:.2f}x** the daily files' (target: within "
        f"{TARGETS['big_file_per_line']}x: {_verdict(ratio <= TARGETS['big_file_per_line'])}). "
        f"Gold agrees between the two: {'yes' if _agrees(daily['gold_agreement']) else 'NO'}.",
        "",
        "| step | one file (s) | daily files (s) | one file peak (MB) | daily files peak (MB) |",
        "|---|---:|---:|---:|---:|",
        *step_rows,
    ]


def _setup(suite: dict) -> str:
    if suite.get("setup_included"):
        return "on a fresh clone: creating .venv and installing every pinned dependency included"
    return "venv already set up"


def write_results(results_dir: Path, target: Path) -> Path:
    scales, suite, big_file = _load(results_dir)
    notes = results_dir.parent / "NOTES.md"
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench run`); do not edit by hand: the "
        "analysis lives in `bench/NOTES.md`, appended below.",
        "",
    ]
    if scales:
        m = scales[-1]["machine"]
        lines += [
            f"Measured on {m['date']}: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['os']}.",
            f"Python {m['python']}, PySpark {m['pyspark']} (local[2]), {m['java']}, DuckDB {m['duckdb']} (2 threads), "
            f"Great Expectations {m['great_expectations']}.",
            "",
            "## Spark against DuckDB, the whole pipeline",
            "",
            "Bronze -> silver (with quarantine) -> gold with the quality suites, the same files for both; "
            "times are the pipeline's steps, Spark's session start shown apart. With several runs, DuckDB and "
            "Spark alternate, a fresh lake each; the times and the steps below are each engine's median run, "
            "and each pair's ratio is listed in the order they ran.",
            "",
            *_headline(scales),
            "",
        ]
        for report in scales:
            lines += _steps(report) + [""]
        lines += ["## The quality suites' share of the pipeline", "", *_quality(scales), ""]
        for report in scales:
            if "incremental" in report:
                lines += ["## One new day on a year of history", "", *_incremental(report), ""]
    if big_file:
        lines += ["## One text file over 2 GB", "", *_big_file(big_file), ""]
    if suite:
        verdict = _verdict(suite["seconds"] < TARGETS["test_suite_seconds"] and suite["exit_code"] == 0)
        lines += [
            "## The test suite",
            "",
            f"`make test-local` ({_setup(suite)}): {suite['seconds']} s wall, exit {suite['exit_code']} "
            f"({suite['summary']}); target under {TARGETS['test_suite_seconds'] // 60} minutes: {verdict}.",
            "",
        ]
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    target.write_text("\n".join(lines))
    return target
