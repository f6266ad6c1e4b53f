"""`make run-local` over the sample data plus the bad-input corpus (tests/bad_input/corpus.py),
landed side by side: the run exits 0; every file's records get the outcome the corpus says;
for every landed file, records counted without Spark == silver + quarantine, per file; every
quarantined row carries its reason, file and line; a file that cannot be read at all is
quarantined whole and named in the report, and the other files are finished."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

from jobs.runtime.run_record import RunRecord
from local.runner import cli
from local.runner.report import file_problem_lines, quarantined_file_lines
from local.sample.generator import GeneratorSettings, generate
from tests.bad_input.corpus import CASES, DAY, TIME
from tests.bad_input.counting import landed_records
from tests.helpers.spark import forget_catalog
from transforms.contracts import QUARANTINE_TABLES, SILVER_TABLES, SOURCES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_run(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-input") / "lake"
    sample, _ = generate(GeneratorSettings(orders=10, days=1, seed=13))
    landed = {**sample, **{case.relative_path: case.content for case in CASES}}
    for relative, content in landed.items():
        path = root / "bronze" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    forget_catalog(spark)
    exit_code = cli.main(["run", "--lake", str(root)])
    records = [  # each domain's bronze_to_silver run
        RunRecord.from_json(json.loads(path.read_text()))
        for path in (root / "state/runs").glob("*_bronze_to_silver/*.json")
    ]
    outcomes: dict[str, Counter] = defaultdict(Counter)
    quarantined = []
    for table in QUARANTINE_TABLES.values():
        rows = spark.table(table.qualified_name).collect()
        quarantined += rows
        for row in rows:
            outcomes[row.source_file][row.reject_reason] += 1
    for table in SILVER_TABLES:
        for row in spark.table(table.qualified_name).select("source_file").collect():
            outcomes[row.source_file][None] += 1
    return exit_code, landed, records, outcomes, quarantined


def test_the_run_over_sample_and_corpus_exits_0(corpus_run):
    assert corpus_run[0] == 0


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.replace(".", "_") + "-" + c.source.dataset)
def test_each_file_gets_the_outcome_the_corpus_says(corpus_run, case):
    _, _, _, outcomes, _ = corpus_run
    assert dict(outcomes.get(case.relative_path, {})) == case.expected


def test_every_landed_file_conserves_its_records_counted_without_spark(corpus_run):
    _, landed, records, outcomes, _ = corpus_run
    counted = {}
    for path, content in landed.items():
        source = next(s for s in SOURCES if path.startswith(s.prefix + "/"))
        counted[path] = landed_records(path, content, source.file_format, source.columns)
    expected = {path: n for path, n in counted.items() if n}
    ledger = {path: sum(c.values()) for r in records for run in r.ledger.values() for path, c in run.files.items()}
    assert ledger == expected  # rows_in, per file
    assert {path: sum(c.values()) for path, c in outcomes.items()} == expected  # silver + quarantine
    assert len(expected) > len(CASES)  # the sample's files are counted too


def test_every_quarantined_row_carries_reason_file_and_line(corpus_run):
    *_, quarantined = corpus_run
    assert quarantined
    for row in quarantined:
        assert row.reject_reason and row.source_file and row.source_line is not None and row.raw_record


def test_unreadable_and_empty_files_are_named_in_the_report(corpus_run):
    _, _, records, _, quarantined = corpus_run
    assert len(records) == 3
    lines = "\n".join(file_problem_lines(records))
    for case in CASES:
        if case.unreadable:
            assert "quarantined whole as UNREADABLE_FILE: " in lines and case.relative_path in lines
        if not case.expected:
            assert "no records (empty, or a header only): " in lines and case.relative_path in lines
    unreadable = [r for r in quarantined if r.reject_reason == "UNREADABLE_FILE"]
    assert sorted(r.source_file for r in unreadable) == sorted(c.relative_path for c in CASES if c.unreadable)
    assert all(r.source_line == 0 and r.raw_record.startswith("unreadable file: ") for r in unreadable)


def test_every_accepted_corpus_record_reaches_silver_with_its_exact_values(spark, corpus_run):
    """However its file was written (column order, quoting, padding, line endings, BOM,
    compression, codec, extra columns, name), an accepted record's values are the ones sent:
    every corpus order line, product and return carries the same values but for its id."""
    corpus = "source_file LIKE '%ingest_date=" + DAY + "/%'"
    order_values = ("customer_id", "product_sku", "order_ts", "region", "channel", "quantity", "unit_price", "currency")
    orders = spark.table("sales_silver.orders").where(corpus).collect()
    sent = ("C1", "SKU-1", TIME, "EMEA", "online", "2", "10.00", "USD")
    assert {tuple(str(r[c]) for c in order_values) for r in orders} == {sent}
    product_values = ("product_name", "category", "list_price_usd", "unit_cost_usd", "is_active")
    products = spark.table("product_silver.products").where(corpus).collect()
    assert {tuple(str(r[c]) for c in product_values) for r in products} == {("Lamp", "home", "10.00", "6.00", "True")}
    returns = spark.table("sales_silver.returns").where(corpus).collect()
    assert {(r.order_id, r.line_no, r.quantity, str(r.returned_at)) for r in returns} == {
        ("O1", 1, 1, f"{DAY} 12:00:00")
    }
    accepted = {case.relative_path: case.expected.get(None, 0) for case in CASES}
    silver_files = Counter(r.source_file for r in [*orders, *products, *returns])
    silver_files.update(r.source_file for r in spark.table("customer_silver.customers").where(corpus).collect())
    assert silver_files == Counter({path: n for path, n in accepted.items() if n})


def test_header_drift_is_named_in_the_report(corpus_run):
    _, _, records, _, _ = corpus_run
    lines = "\n".join(file_problem_lines(records))
    named = {
        "extra_column.csv": "column(s) loyalty_tier not in the contract, ignored (drift): ",
        "missing_column.csv": "lacks column(s) currency, quarantined as MISSING_COLUMNS: ",
        "no_header.csv": "no recognisable header, every line quarantined as MISSING_HEADER: ",
        "wrong_delimiter.csv": "no recognisable header, every line quarantined as MISSING_HEADER: ",
        "excel_unicode_text.csv": "no recognisable header, every line quarantined as MISSING_HEADER: ",
        "excel_tab_separated.csv": "no recognisable header, every line quarantined as MISSING_HEADER: ",
        "people_column_titles.csv": "no recognisable header, every line quarantined as MISSING_HEADER: ",
    }
    for name, message in named.items():
        assert any(message in line and line.endswith(name) for line in lines.splitlines()), name
    drifted = {uri.rsplit("/", 1)[-1] for record in records for uri in record.csv_drift}
    assert drifted == set(named)  # reordered, quoted, upper-case headers and a trailing delimiter are no drift


def test_the_summary_names_each_file_with_quarantined_records_and_why(corpus_run):
    _, _, records, outcomes, _ = corpus_run
    lines = quarantined_file_lines(records)
    assert len(lines) == sum(1 for counts in outcomes.values() if set(counts) - {None})  # under the cap here
    expected = {
        "sftp_trailer_line.csv": "quarantined 1 of 3 (WRONG_FIELD_COUNT 1): ",
        "wrong_delimiter.csv": "quarantined 3 of 3 (MISSING_HEADER 3): ",
        "excel_unicode_text.csv": "quarantined 5 of 5 (MISSING_HEADER 4, BAD_ENCODING 1): ",
    }
    for name, start in expected.items():
        assert any(line.strip().startswith(start.strip()) and line.endswith("/" + name) for line in lines), name
    shares = [int(line.split()[1]) / int(line.split()[3]) for line in lines]
    assert shares == sorted(shares, reverse=True)  # a file quarantined whole comes first
