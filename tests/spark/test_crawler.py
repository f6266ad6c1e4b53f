"""The crawler, in each of the four formats: a new dataset, a new column, a widened type, an
incompatible type, a new partition, unreadable files, and dry-run, against the real local
catalog (Spark's metastore)."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.catalog.crawler import crawl, report_lines
from local.catalog.metastore import LocalCatalog
from local.catalog.schema_inference import UnreadableFile, detect_format, merge_types, text_value_type
from tests.helpers.landed_files import (
    BASE_ROWS,
    BASE_TYPES,
    DATABASE,
    DAY1,
    DAY2,
    DOMAIN,
    FORMATS,
    encode,
    land,
)


@pytest.fixture
def bronze(tmp_path) -> Path:
    return tmp_path / "bronze"


@pytest.fixture
def catalog(spark):
    yield LocalCatalog(spark)
    spark.sql(f"DROP DATABASE IF EXISTS {DATABASE} CASCADE")


def columns_of(catalog, name="orders") -> list[tuple[str, str]]:
    return [(c.name, c.type) for c in catalog.table(DATABASE, name).columns]


def partitions_of(spark, name="orders") -> list[str]:
    return sorted(r[0] for r in spark.sql(f"SHOW PARTITIONS {DATABASE}.{name}").collect())


def day_one(bronze, catalog, fmt):
    land(bronze, fmt, DAY1, BASE_ROWS, BASE_TYPES)
    first = crawl(bronze, catalog)
    assert first.exit_code() == 0 and [p.action for p in first.plans] == ["create"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_new_dataset_becomes_a_table_with_inferred_types_and_partitions(spark, bronze, catalog, fmt):
    day_one(bronze, catalog, fmt)
    table = catalog.table(DATABASE, "orders")
    assert columns_of(catalog) == list(BASE_TYPES.items())
    assert table.partition_names == ("ingest_date",) and table.classification == fmt
    assert table.parameters["recordCount"] == "2" and table.parameters["schemaVersion"] == "1"
    assert table.parameters["UPDATED_BY_CRAWLER"] and table.parameters["lastCrawledAt"].startswith("20")
    described = [(r.col_name, r.data_type) for r in spark.sql(f"DESCRIBE {DATABASE}.orders").collect()]
    assert described[:4] == [*BASE_TYPES.items(), ("ingest_date", "string")]
    assert ("# Partition Information", "") in described
    assert partitions_of(spark) == [f"ingest_date={DAY1}"]
    # The table reads its files through SQL, with the inferred types.
    assert spark.sql(f"SELECT sum(qty), count(*) FROM {DATABASE}.orders").first() == (3, 2)


def land_day_two_with_a_coupon(bronze, fmt):
    rows = [{"order_id": "B1", "qty": 3, "amount": 1.0, "coupon": "X"}]
    land(bronze, fmt, DAY2, rows, BASE_TYPES | {"coupon": "string"})


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_new_column_on_day_two_is_added_and_bumps_the_schema_version(spark, bronze, catalog, fmt):
    day_one(bronze, catalog, fmt)
    land_day_two_with_a_coupon(bronze, fmt)
    result = crawl(bronze, catalog)
    assert result.exit_code() == 0 and result.plans[0].action == "update schema"
    assert columns_of(catalog) == [*BASE_TYPES.items(), ("coupon", "string")]
    assert catalog.table(DATABASE, "orders").parameters["schemaVersion"] == "2"
    assert partitions_of(spark) == [f"ingest_date={DAY1}", f"ingest_date={DAY2}"]
    assert spark.sql(f"SELECT count(coupon), count(*) FROM {DATABASE}.orders").first() == (1, 3)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_widened_type_is_applied(spark, bronze, catalog, fmt):
    day_one(bronze, catalog, fmt)
    land(bronze, fmt, DAY2, [{"order_id": "B1", "qty": 5_000_000_000, "amount": 1.0}], BASE_TYPES | {"qty": "bigint"})
    result = crawl(bronze, catalog)
    assert result.exit_code() == 0 and result.plans[0].widened == [("qty", "int", "bigint")]
    assert dict(columns_of(catalog))["qty"] == "bigint"
    assert spark.sql(f"SELECT max(qty) FROM {DATABASE}.orders").first()[0] == 5_000_000_000


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_incompatible_type_is_held_back_reported_and_fails_unless_log_only(spark, bronze, catalog, fmt):
    day_one(bronze, catalog, fmt)
    land(bronze, fmt, DAY2, [{"order_id": "B1", "qty": "many", "amount": 1.0}], BASE_TYPES | {"qty": "string"})
    result = crawl(bronze, catalog)
    assert result.incompatible == [(f"{DATABASE}.orders", "column qty: int -> string is not a safe widening")]
    assert result.exit_code("fail") == 1 and result.exit_code("log") == 0
    assert columns_of(catalog) == list(BASE_TYPES.items())
    # The safe part of the change (the new partition) still went through.
    assert partitions_of(spark) == [f"ingest_date={DAY1}", f"ingest_date={DAY2}"]
    assert any("INCOMPATIBLE, not applied: column qty" in line for line in report_lines(result, bronze))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_new_partition_is_registered_and_nothing_else_changes(spark, bronze, catalog, fmt):
    day_one(bronze, catalog, fmt)
    land(bronze, fmt, DAY2, [{"order_id": "B1", "qty": 7, "amount": 1.5}], BASE_TYPES)
    result = crawl(bronze, catalog)
    assert result.plans[0].action == "update partitions"
    assert [p.values for p in result.plans[0].added_partitions] == [(DAY2,)]
    assert columns_of(catalog) == list(BASE_TYPES.items())
    assert catalog.table(DATABASE, "orders").parameters["schemaVersion"] == "1"
    assert spark.sql(f"SELECT sum(qty) FROM {DATABASE}.orders WHERE ingest_date = '{DAY2}'").first()[0] == 7
    assert crawl(bronze, catalog).plans[0].action == "unchanged"


def unreadable(fmt: str) -> bytes:
    """Bytes of the format that cannot be read: invalid UTF-8 text, or a truncated binary file."""
    if fmt in ("csv", "json"):
        return b"order_id,qty\n\xff\xfe\x00broken\n" if fmt == "csv" else b'{"order_id": "\xff\xfe"}\n'
    whole = encode(fmt, BASE_ROWS * 50, BASE_TYPES)
    return whole[: len(whole) // 3]


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_and_unreadable_files_are_reported_and_the_rest_is_crawled(spark, bronze, catalog, fmt):
    day_one(bronze, catalog, fmt)
    empty = land(bronze, fmt, DAY2, [], BASE_TYPES, name="empty")
    empty.write_bytes(b"")
    broken = land(bronze, fmt, DAY2, [], BASE_TYPES, name="broken")
    broken.write_bytes(unreadable(fmt))
    good = land(bronze, fmt, DAY2, [{"order_id": "C1", "qty": 4, "amount": 1.0}], BASE_TYPES, name="good")
    other = "csv" if fmt != "csv" else "json"
    land(bronze, other, DAY2, [{"customer_id": "K1", "age": 40}], {"customer_id": "string", "age": "int"}, "customers")

    result = crawl(bronze, catalog)
    assert result.exit_code() == 0
    assert {p.path for p in result.problems} == {empty, broken}
    assert all(p.reason for p in result.problems)
    assert [p.action for p in result.plans] == ["create", "update partitions"]  # customers, then orders
    assert columns_of(catalog, "customers") == [("customer_id", "string"), ("age", "int")]
    assert catalog.table(DATABASE, "orders").parameters["objectCount"] == "2"  # day 1 and good
    assert good.exists() and any(str(broken) in line for line in report_lines(result, bronze))


@pytest.mark.parametrize("fmt", FORMATS)
def test_dry_run_says_what_would_change_and_changes_nothing(spark, bronze, catalog, fmt):
    day_one(bronze, catalog, fmt)
    before = catalog.table(DATABASE, "orders")
    land_day_two_with_a_coupon(bronze, fmt)
    land(bronze, fmt, DAY1, BASE_ROWS, BASE_TYPES, dataset="returns")

    result = crawl(bronze, catalog, dry_run=True)
    lines = "\n".join(report_lines(result, bronze))
    assert "DRY RUN" in lines and f"{DATABASE}.returns" in lines and "would create" in lines
    assert "would add column coupon string" in lines and f"would add partition(s) ingest_date={DAY2}" in lines
    assert catalog.table(DATABASE, "orders") == before
    assert partitions_of(spark) == [f"ingest_date={DAY1}"]
    assert not spark.catalog.tableExists(f"{DATABASE}.returns")


def test_a_column_gone_from_every_file_is_incompatible_and_kept(spark, bronze, catalog):
    path = land(bronze, "csv", DAY1, BASE_ROWS, BASE_TYPES)
    crawl(bronze, catalog)
    path.write_bytes(encode("csv", [{"order_id": "A1", "qty": 1}], {"order_id": "string", "qty": "int"}))
    result = crawl(bronze, catalog)
    assert result.incompatible == [(f"{DATABASE}.orders", "column amount is in the catalog but in no file any more")]
    assert columns_of(catalog) == list(BASE_TYPES.items())


def test_changed_partition_keys_are_incompatible_and_not_applied(spark, bronze, catalog):
    path = land(bronze, "json", DAY1, BASE_ROWS, BASE_TYPES)
    crawl(bronze, catalog)
    moved = bronze / DOMAIN / "orders" / "region=EU" / f"ingest_date={DAY1}" / path.name
    moved.parent.mkdir(parents=True)
    path.rename(moved)
    path.parent.rmdir()
    result = crawl(bronze, catalog)
    assert result.incompatible == [
        (f"{DATABASE}.orders", "partition keys ('ingest_date',) -> ('region', 'ingest_date')")
    ]
    assert catalog.table(DATABASE, "orders").partition_names == ("ingest_date",)
    assert partitions_of(spark) == [f"ingest_date={DAY1}"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("  7 ", "int"),
        ("-2147483648", "int"),
        ("2147483648", "bigint"),
        ("99999999999999999999", "string"),
        ("2.50", "double"),
        ("1e3", "double"),
        ("TRUE", "boolean"),
        ("2026-01-31", "date"),
        ("2026-01-31T10:00:00+02:00", "timestamp"),
        ("2026-13", "string"),
        ("EUR", "string"),
    ],
)
def test_text_values_get_the_narrowest_type(text, expected):
    assert text_value_type(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "merged"),
    [
        (None, "int", "int"),
        ("int", "bigint", "bigint"),
        ("bigint", "int", "bigint"),
        ("float", "double", "double"),
        ("int", "double", "double"),
        ("bigint", "double", "double"),
        ("int", "string", "string"),
        ("date", "timestamp", "timestamp"),
        ("boolean", "int", "string"),
    ],
)
def test_types_merge_to_one_that_holds_both(a, b, merged):
    assert merge_types(a, b) == merged


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"PAR1\x15\x00", "parquet"),
        (b"Obj\x01\x04", "avro"),
        (b'\n{"a": 1}\n', "json"),
        (b"\xef\xbb\xbfid,name\n1,x\n", "csv"),
    ],
)
def test_the_format_is_recognized_by_content(head, expected):
    assert detect_format(head) == expected


@pytest.mark.parametrize("head", [b"   \n", b"just some words\n", b"\xff\xfe\x00\x01"])
def test_content_that_is_no_known_format_is_refused_with_a_reason(head):
    with pytest.raises(UnreadableFile, match=r"empty|not CSV|not UTF-8"):
        detect_format(head)


# ---- single lines and files that once stopped the crawl ------------------------------------
def test_a_line_nested_thousands_deep_or_a_field_over_the_csv_limit_is_skipped_not_fatal(spark, bronze, catalog):
    deep = '{"order_id": "A3", "qty": 3, "amount": ' + "[" * 5000 + "]" * 5000 + "}"
    jsonl = land(bronze, "json", DAY1, BASE_ROWS, BASE_TYPES)
    jsonl.write_bytes(jsonl.read_bytes() + deep.encode() + b"\n")
    csv_file = land(bronze, "csv", DAY1, BASE_ROWS, BASE_TYPES, dataset="returns")
    csv_file.write_bytes(csv_file.read_bytes() + b'A4,4,"' + b"x" * 200_000 + b'"\n')

    result = crawl(bronze, catalog)
    assert result.problems == [] and result.exit_code() == 0
    assert columns_of(catalog) == [("order_id", "string"), ("qty", "int"), ("amount", "double")]
    assert columns_of(catalog, "returns") == [("order_id", "string"), ("qty", "int"), ("amount", "double")]


def test_gzip_text_is_crawled_like_the_plain_file(spark, bronze, catalog):
    import gzip

    for fmt, dataset in (("csv", "orders"), ("json", "returns")):
        path = land(bronze, fmt, DAY1, BASE_ROWS, BASE_TYPES, dataset=dataset)
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
    result = crawl(bronze, catalog)
    assert result.problems == []
    for name in ("orders", "returns"):
        assert columns_of(catalog, name) == [("order_id", "string"), ("qty", "int"), ("amount", "double")]
        assert catalog.table(DATABASE, name).parameters["recordCount"] == "2"


def test_a_file_the_crawler_fails_on_in_any_way_is_reported_and_the_rest_crawled(spark, bronze, catalog, monkeypatch):
    import local.catalog.crawler

    bad = land(bronze, "csv", DAY1, BASE_ROWS, BASE_TYPES, name="bad")
    land(bronze, "csv", DAY1, BASE_ROWS, BASE_TYPES, name="good")
    real = local.catalog.crawler.infer_file

    def infer(path, sample_size):
        if path == bad:
            raise MemoryError("a decoder gave up")
        return real(path, sample_size)

    monkeypatch.setattr(local.catalog.crawler, "infer_file", infer)
    result = crawl(bronze, catalog)
    assert [(p.path, p.reason) for p in result.problems] == [(bad, "cannot be crawled: MemoryError: a decoder gave up")]
    assert catalog.table(DATABASE, "orders").parameters["objectCount"] == "1"
