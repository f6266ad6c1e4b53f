"""The run summary printed by `make run-local`, also kept as a Markdown report."""

from __future__ import annotations

from collections.abc import Iterable

from jobs.runtime.config import LakeConfig
from jobs.runtime.run_record import RunRecord
from transforms.contracts import ALL_TABLES


def table_counts(spark) -> dict[str, int]:
    """Rows in every catalog table that exists (through the catalog, as an analyst sees it)."""
    counts = {}
    for table in ALL_TABLES:
        if spark.catalog.tableExists(table.qualified_name):
            counts[table.qualified_name] = spark.table(table.qualified_name).count()
    return counts


def _ledger_lines(records: Iterable[RunRecord]) -> list[str]:
    lines = []
    for record in records:
        if record.metrics.get("new_files") == 0:
            lines.append("  nothing new since the last committed run: no bronze file read")
        for dataset, ledger in record.ledger.items():
            if not ledger.files:
                lines.append(f"  {dataset}: nothing new since the last committed run")
                continue
            lines.append(
                f"  {dataset}: {ledger.rows_in} landed rows = {ledger.rows_silver} to silver"
                f" + {ledger.rows_quarantined} quarantined, from {len(ledger.files)} file(s)"
            )
            lines += [f"    {reason:<22} {n:>7}" for reason, n in ledger.quarantined_by_reason.items()]
    return lines


def file_problem_lines(records: Iterable[RunRecord]) -> list[str]:
    """Files read that gave no record, and files that could not be read at all."""
    lines = []
    for record in records:
        recorded = {f for ledger in record.ledger.values() for f in ledger.files}
        for uri in record.unreadable_files:
            lines.append(f"  UNREADABLE, quarantined whole as UNREADABLE_FILE: {uri}")
        for uri, drift in record.csv_drift.items():
            if "no_header" in drift:
                lines.append(f"  no recognisable header, every line quarantined as MISSING_HEADER: {uri}")
            if "missing" in drift:
                lines.append(f"  lacks column(s) {', '.join(drift['missing'])}, quarantined as MISSING_COLUMNS: {uri}")
            if "extra" in drift:
                lines.append(f"  column(s) {', '.join(drift['extra'])} not in the contract, ignored (drift): {uri}")
        for name, uris in record.inputs.items():
            for uri in uris:
                if not name.startswith("changes/") and not any(uri.endswith("/" + f) for f in recorded):
                    lines.append(f"  no records (empty, or a header only): {uri}")
    return lines


MAX_FILES_LISTED = 60  # files with quarantined records named in the summary, worst first


def quarantined_file_lines(records: Iterable[RunRecord]) -> list[str]:
    """Files some of whose records were quarantined: how many of how many, and why; the
    files with the largest share first (a file quarantined whole is the likeliest to need a
    person), at most MAX_FILES_LISTED."""
    files = []
    for record in records:
        for ledger in record.ledger.values():
            for path, outcomes in ledger.files.items():
                reasons = {reason: n for reason, n in outcomes.items() if reason != "accepted"}
                if reasons:
                    files.append((sum(reasons.values()) / sum(outcomes.values()), path, outcomes, reasons))
    files.sort(key=lambda f: (-f[0], f[1]))
    lines = []
    for _, path, outcomes, reasons in files[:MAX_FILES_LISTED]:
        why = ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items(), key=lambda r: (-r[1], r[0])))
        lines.append(f"  quarantined {sum(reasons.values())} of {sum(outcomes.values())} ({why}): {path}")
    if len(files) > MAX_FILES_LISTED:
        lines.append(f"  ... and {len(files) - MAX_FILES_LISTED} more file(s) with quarantined records")
    return lines


def _quality_lines(records: Iterable[RunRecord]) -> list[str]:
    lines = []
    for record in records:
        for suite, q in record.quality.items():
            verdict = f"{len(q.failed)} FAILED" if q.failed else "passed"
            if q.warnings:
                verdict += f" with {len(q.warnings)} warning(s)"
            lines.append(f"  {suite:<36} {q.evaluated:>3} expectations, {verdict}")
            lines += [f"    ! {failure}" for failure in q.failed + q.warnings]
    return lines


def _service_level_lines(records: Iterable[RunRecord]) -> list[str]:
    results = [result for record in records for result in record.sla]
    breached = [r for r in results if not r.met]
    lines = [f"  {result.describe()}" for result in breached + [r for r in results if r.met]]
    return lines or ["  none checked (nothing new was read)"]


def summary_lines(
    config: LakeConfig,
    records: list[RunRecord],
    counts: dict[str, int],
    seconds: dict[str, float],
    crawler_held_back: list[str] | None = None,
) -> list[str]:
    lines = ["", "== Sales Data Lake: run summary =="]
    problems = file_problem_lines(records) + (crawler_held_back or []) + quarantined_file_lines(records)
    if problems:  # first: what needs a person's eyes
        lines += ["Files to look at (every record is in silver or quarantine; see the ledger):"] + problems
    lines += ["Bronze -> silver ledger (rows_in == rows_silver + rows_quarantined):"]
    lines += _ledger_lines(records)
    lines += ["Tables (rows in the catalog):"]
    lines += [f"  {name:<34} {n:>8}" for name, n in counts.items()]
    lines += ["Quality suites:"] + _quality_lines(records)
    lines += ["Service levels (from the contracts; breaches first):"] + _service_level_lines(records)
    lines += ["Time per step (s):"]
    lines += [f"  {step:<34} {s:>8.1f}" for step, s in seconds.items()]
    lines += [
        "Outputs:",
        f"  bronze      {config.bronze_uri}",
        f"  silver      {config.silver_uri}",
        f"  gold        {config.gold_uri}",
        f"  quarantine  {config.quarantine_uri}",
        f"  state       {config.state_uri}  (catalog, run records, quality results)",
    ]
    return lines
