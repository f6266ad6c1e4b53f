from collections import Counter

from local.generator import BROKEN_LINE_KINDS, SUPERSEDED, GeneratorSettings, generate

SMALL = GeneratorSettings(orders=300, days=4, seed=3)


def test_same_seed_same_files_and_truth():
    assert generate(SMALL) == generate(SMALL)
    assert generate(SMALL)[0] != generate(GeneratorSettings(orders=300, days=4, seed=4))[0]


def test_one_file_per_ingest_day_under_hive_style_folders():
    files, _ = generate(SMALL)
    assert sorted(files) == [f"sales/orders/ingest_date=2026-01-0{d}/orders_2026-01-0{d}.csv" for d in range(1, 5)]


def test_every_kind_of_mess_is_landed_and_known_to_the_truth():
    files, truth = generate(SMALL)
    reasons = Counter(r for outcomes in truth["line_outcomes"].values() for r in outcomes.values())
    assert set(BROKEN_LINE_KINDS) | {SUPERSEDED, None} == set(reasons)
    body = [line for lines in files.values() for line in lines[1:]]
    assert any(",emea" in line or ", EMEA" in line or ",Emea" in line for line in body), "mixed-case regions"
    assert any(",usd" in line.lower() and ",USD" not in line for line in body), "mixed-case currencies"
    # Every landed line (after the header) has exactly one expected outcome.
    assert sum(len(o) for o in truth["line_outcomes"].values()) == len(body)


def test_gold_truth_only_counts_the_latest_valid_versions():
    _, truth = generate(SMALL)
    accepted = sum(r is None for o in truth["line_outcomes"].values() for r in o.values())
    assert sum(row["units"] > 0 for row in truth["daily_sales"]) == len(truth["daily_sales"])
    assert accepted >= sum(row["orders"] for row in truth["daily_sales"])  # orders have >= 1 line
