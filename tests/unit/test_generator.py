from collections import Counter

from local.sample.generator import BROKEN_LINE_KINDS, GeneratorSettings, generate
from local.sample.reference import SUPERSEDED

SMALL = GeneratorSettings(orders=300, days=4, seed=3)


def test_same_seed_same_files_and_truth():
    assert generate(SMALL) == generate(SMALL)
    assert generate(SMALL)[0] != generate(GeneratorSettings(orders=300, days=4, seed=4))[0]


def test_one_file_per_ingest_day_under_hive_style_folders():
    files, _ = generate(SMALL)
    orders = sorted(f for f in files if f.startswith("sales/orders/"))
    assert orders == [f"sales/orders/ingest_date=2026-01-{d}/orders_2026-01-{d}.csv" for d in range(27, 31)]
    extensions = {f.split("/")[1]: f.rsplit(".", 1)[1] for f in files}
    assert extensions == {
        "orders": "csv",
        "fx_rates": "csv",
        "customers": "jsonl",
        "products": "parquet",
        "returns": "avro",
    }


def test_every_kind_of_mess_is_landed_and_known_to_the_truth():
    files, truth = generate(SMALL)
    reasons = Counter(r for _, _, r in truth["record_outcomes"])
    assert set(BROKEN_LINE_KINDS) | {SUPERSEDED, None} <= set(reasons)
    orders = {f: c.decode().splitlines() for f, c in files.items() if f.startswith("sales/orders/")}
    body = [line for lines in orders.values() for line in lines[1:]]
    assert any(",emea" in line or ", EMEA" in line or ",Emea" in line for line in body), "mixed-case regions"
    assert any(",usd" in line.lower() and ",USD" not in line for line in body), "mixed-case currencies"
    # Every landed order line (after the header) has exactly one expected outcome.
    assert sum(1 for path, _, _ in truth["record_outcomes"] if path in orders) == len(body)


def test_gold_truth_only_counts_the_latest_valid_versions():
    _, truth = generate(SMALL)
    accepted = sum(r is None for path, _, r in truth["record_outcomes"] if path.startswith("sales/orders/"))
    assert all(row["units"] > 0 for row in truth["daily_sales"])
    assert accepted >= sum(row["orders"] for row in truth["daily_sales"]) > 0  # an order has >= 1 line
