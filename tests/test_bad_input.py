"""The bad-input corpus (tests/bad_input/corpus.py) through bronze -> silver in one run: every
file's records get the outcome the corpus says, rows_in == rows_silver + rows_quarantined per
file, every quarantined row carries its reason, file and line, a file that cannot be read at
all is quarantined whole and named in the report, and the other files are finished."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from jobs import bronze_to_silver
from jobs.runtime.local import open_local_context
from local.report import file_problem_lines
from tests.bad_input.corpus import CASES
from transforms.contracts import QUARANTINE_TABLES, SILVER_TABLES


@pytest.fixture(scope="module")
def corpus_run(spark, tmp_path_factory):
    from tests.conftest import forget_catalog

    root = tmp_path_factory.mktemp("bad-input") / "lake"
    for case in CASES:
        path = root / "bronze" / case.relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.content)
    forget_catalog(spark)
    with open_local_context("bronze_to_silver", ["--lake_root", str(root)], {}, spark=spark) as ctx:
        manifest = bronze_to_silver.main(ctx)
        outcomes: dict[str, Counter] = defaultdict(Counter)
        quarantined = []
        for table in QUARANTINE_TABLES.values():
            rows = ctx.read_table(table).collect()
            quarantined += rows
            for row in rows:
                outcomes[row.source_file][row.reject_reason] += 1
        for table in SILVER_TABLES:
            for row in ctx.read_table(table).select("source_file").collect():
                outcomes[row.source_file][None] += 1
    return manifest, outcomes, quarantined


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.replace(".", "_") + "-" + c.source.dataset)
def test_each_file_gets_the_outcome_the_corpus_says(corpus_run, case):
    _, outcomes, _ = corpus_run
    assert dict(outcomes.get(case.relative_path, {})) == case.expected


def test_rows_in_equals_silver_plus_quarantined_for_every_file(corpus_run):
    manifest, outcomes, _ = corpus_run
    ledger_files = {}
    for ledger in manifest["ledger"].values():
        for path, counts in ledger["files"].items():
            ledger_files[path] = sum(counts.values())
    assert ledger_files == {path: sum(counts.values()) for path, counts in outcomes.items()}
    assert sum(ledger_files.values()) == sum(sum(c.expected.values()) for c in CASES)


def test_every_quarantined_row_carries_reason_file_and_line(corpus_run):
    _, _, quarantined = corpus_run
    assert quarantined
    for row in quarantined:
        assert row.reject_reason and row.source_file and row.source_line is not None and row.raw_record


def test_unreadable_and_empty_files_are_named_in_the_report(corpus_run):
    manifest, _, quarantined = corpus_run
    lines = "\n".join(file_problem_lines({"bronze_to_silver": manifest}))
    for case in CASES:
        if case.unreadable:
            assert "quarantined whole as UNREADABLE_FILE: " in lines and case.relative_path in lines
        if not case.expected:
            assert "no records (empty, or a header only): " in lines and case.relative_path in lines
    unreadable = [r for r in quarantined if r.reject_reason == "UNREADABLE_FILE"]
    assert sorted(r.source_file for r in unreadable) == sorted(c.relative_path for c in CASES if c.unreadable)
    assert all(r.source_line == 0 and r.raw_record.startswith("unreadable file: ") for r in unreadable)


def test_a_record_reaches_silver_with_its_values_whatever_the_order_of_its_files_columns(spark, corpus_run):
    _, outcomes, _ = corpus_run
    columns = ("order_id", "line_no", "customer_id", "product_sku", "quantity", "unit_price", "currency")
    chosen = "order_id IN ('O1', 'O14', 'O16', 'O17') AND line_no = 1"
    rows = spark.table("sales_silver.orders").where(chosen).collect()
    values = {r.order_id: tuple(str(getattr(r, c)) for c in columns[1:]) for r in rows}
    assert values["O14"] == values["O16"] == values["O17"] == values["O1"] == ("1", "C1", "SKU-1", "2", "10.00", "USD")


def test_header_drift_is_named_in_the_report(corpus_run):
    manifest, _, _ = corpus_run
    lines = "\n".join(file_problem_lines({"bronze_to_silver": manifest}))
    named = {
        "extra_column.csv": "column(s) loyalty_tier not in the contract, ignored (drift): ",
        "missing_column.csv": "lacks column(s) currency, quarantined as MISSING_COLUMNS: ",
        "no_header.csv": "no recognisable header, every line quarantined as MISSING_HEADER: ",
        "wrong_delimiter.csv": "no recognisable header, every line quarantined as MISSING_HEADER: ",
    }
    for name, message in named.items():
        assert any(message in line and line.endswith(name) for line in lines.splitlines()), name
    drifted = {uri.rsplit("/", 1)[-1] for uri in manifest["csv_drift"]}
    assert drifted == set(named)  # the reordered, quoted and upper-case headers are no drift
