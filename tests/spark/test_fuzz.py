"""Property tests: the record readers, the record rules and the crawler's inference on
generated input (random bytes and encodings, deep nesting, huge fields, any delimiter and
quoting, headers in any order). Nothing may raise, and every landed line ends as exactly one
row with its outcome. A short budget runs in `make test-local`, a long one in `make fuzz`
(HYPOTHESIS_PROFILE=fuzz). Inputs that once failed stay as explicit examples."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from jobs.runtime.bronze_reader import text_records
from local.catalog.schema_inference import UnreadableFile, infer_file
from tests.bad_input.counting import editor_line_numbers
from transforms.contracts import ORDER_FILE_COLUMNS
from transforms.customers import customers_with_reasons
from transforms.orders import orders_with_reasons

PREFIX = "sales/orders"
GOOD_ORDER = dict(
    zip(
        ORDER_FILE_COLUMNS,
        ["O1", "1", "C1", "SKU-1", "2026-01-05 10:00:00", "EMEA", "online", "2", "10.00", "USD"],
        strict=True,
    )
)
MESSY = st.text(alphabet=st.sampled_from(list(",;\"'\t \r\\{}[]:aZ09é€\ufeff\x00")), max_size=12)
FIELD = st.one_of(st.sampled_from(sorted(set(GOOD_ORDER.values()))), MESSY)


@st.composite
def csv_files(draw) -> bytes:
    """A CSV file as feeds send them: a header (any order, maybe extra, missing or none) and
    rows of good or messy fields, any line endings, maybe a BOM or bytes that are not UTF-8."""
    columns = draw(st.permutations(ORDER_FILE_COLUMNS))
    columns = columns[: draw(st.integers(len(columns) - 2, len(columns)))] + draw(st.lists(MESSY, max_size=2))
    rows = draw(
        st.lists(st.lists(st.one_of(FIELD, st.sampled_from([GOOD_ORDER.get(c, "") for c in columns])), max_size=14))
    )
    lines = ([",".join(columns)] if draw(st.booleans()) else []) + [",".join(row) for row in rows]
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n", "\n\n  \n"]))
    data = (("\ufeff" if draw(st.booleans()) else "") + text).encode()
    return data + draw(st.binary(max_size=6)) if draw(st.booleans()) else data


def landed(spark, tmp_path: Path, data: bytes, name: str = "f.csv", header: bool = True):
    path = tmp_path / PREFIX / "ingest_date=2026-01-05" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return text_records(spark, [f"file:{path}"], PREFIX, ORDER_FILE_COLUMNS if header else None).lines


def record_line_numbers(data: bytes) -> list[int]:
    """The lines the lake calls records, counted without Spark (see test_text_files)."""
    return sorted(editor_line_numbers(data))


def rates(spark):
    return spark.createDataFrame(
        [("2026-01-05", "EUR", Decimal("1.1"))], "rate_date string, currency string, rate_to_usd decimal(18,8)"
    ).selectExpr("to_date(rate_date) AS rate_date", "currency", "rate_to_usd")


@given(data=csv_files())
@example(data=b'order_id,line_no\nO1,"' + b"x" * 200_000 + b'"\n')  # once a crawler failure: a field past the csv limit
@example(data=b"\xff\xfe\x00order_id\n\n")
def test_every_csv_line_ends_as_one_row_with_its_outcome(spark, tmp_path_factory, data):
    out = orders_with_reasons(landed(spark, tmp_path_factory.mktemp("csv"), data), rates(spark))
    rows = out.select("source_line", "reject_reason", "raw_record").collect()
    lines = record_line_numbers(data)
    seen = sorted(r.source_line for r in rows)
    assert len(seen) == len(set(seen))  # no line twice
    dropped = set(lines) - set(seen)
    assert not set(seen) - set(lines)  # no row from nowhere
    # Only a recognised header line is not a record, and then no record lacks a header.
    assert dropped <= set(lines[:1])
    if dropped:
        assert all(r.reject_reason != "MISSING_HEADER" for r in rows)
    else:  # no header: nothing can be read by name, so nothing is accepted
        assert all(r.reject_reason is not None for r in rows)


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=10,
)


@st.composite
def json_lines(draw) -> bytes:
    records = draw(
        st.lists(
            st.one_of(
                st.dictionaries(
                    st.sampled_from(["customer_id", "email", "phone", "updated_at", "address"]), JSON_VALUE
                ),
                JSON_VALUE,
            ).map(json.dumps)
            | MESSY,
            max_size=10,
        )
    )
    return "\n".join(records).encode() + draw(st.binary(max_size=4))


@given(data=json_lines())
@example(data=(b'{"customer_id": "C4", "extra": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001 + b"\n"))
def test_every_json_line_ends_as_one_row_with_its_outcome(spark, tmp_path_factory, data):
    lines = landed(spark, tmp_path_factory.mktemp("json"), data, "f.jsonl", header=False)
    rows = customers_with_reasons(lines, "key").select("source_line").collect()
    assert sorted(r.source_line for r in rows) == record_line_numbers(data)


@given(data=st.one_of(st.binary(max_size=300), csv_files(), json_lines()))
@example(data=b"PAR1" + b"\x00" * 10)
@example(data=b"Obj\x01\x00")
@example(data=b"\x1f\x8b\x08\x00broken gzip")
def test_the_crawler_infers_or_names_the_problem_for_any_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("crawl") / "f"
    path.write_bytes(data)
    try:
        schema = infer_file(path)
    except UnreadableFile as problem:
        assert str(problem)
    else:
        assert schema.classification in ("csv", "json", "parquet", "avro") and schema.records >= 0
