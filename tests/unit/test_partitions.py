"""A partition is one value, however the catalog, the folders or a frame's rows spell it."""

import datetime as dt

import pytest

from jobs.runtime.partitions import WHOLE_TABLE, Partition


def test_a_partition_from_a_row_reads_as_its_folder_and_its_columns():
    partition = Partition.of({"order_date": dt.date(2026, 1, 5), "region": "EMEA"})
    assert partition.path == "order_date=2026-01-05/region=EMEA"
    assert partition["order_date"] == "2026-01-05" and partition.as_dict() == {
        "order_date": "2026-01-05",
        "region": "EMEA",
    }
    assert partition == Partition.at(("order_date", "region"), ("2026-01-05", "EMEA"))


def test_partitions_sort_by_their_values_and_the_whole_table_has_no_keys():
    days = [Partition.of({"order_date": d}) for d in ("2026-01-02", "2026-01-01")]
    assert [p["order_date"] for p in sorted(days)] == ["2026-01-01", "2026-01-02"]
    assert WHOLE_TABLE.path == "" and WHOLE_TABLE.as_dict() == {}


def test_keys_and_values_must_pair_up():
    with pytest.raises(ValueError, match="differ in number"):
        Partition(("order_date",), ())
