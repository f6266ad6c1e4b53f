"""One spelling of the lake's URIs: a catalog's `file:/a`, Spark's `file:///a`, the lake's `/a`."""

from pathlib import Path

import pytest

from jobs.runtime import uris


@pytest.mark.parametrize("spelling", ["file:/lake/gold", "file:///lake/gold/", "/lake/gold", "file:/lake/gold/"])
def test_the_spellings_of_a_local_folder_compare_equal(spelling):
    assert uris.plain(spelling) == "/lake/gold"
    assert uris.within(spelling, "file:/lake") and uris.within("/lake/gold/_snapshots/r-1", spelling)


def test_within_is_by_folder_not_by_prefix():
    assert not uris.within("/lake/golden", "/lake/gold")
    assert not uris.within("s3://bucket-2/x", "s3://bucket")
    assert uris.within("s3://bucket/gold/t", "s3://bucket/gold")


def test_relative_paths_decode_what_spark_percent_encodes():
    assert uris.relative_to("file:///lake/t/order_date=2026-01-05/part%200.parquet", "/lake/t") == (
        "order_date=2026-01-05/part 0.parquet"
    )
    with pytest.raises(ValueError, match="not below"):
        uris.relative_to("/elsewhere/x", "/lake")


def test_local_paths_only_for_local_uris():
    assert uris.local_path_of("file:/lake/a#b") == Path("/lake/a#b")
    assert uris.local_path_of("relative/x") == Path.cwd() / "relative/x"
    assert uris.local_path_of("s3://bucket/key") is None
    assert uris.canonical("file:///a%20b") == uris.canonical("file:/a b") == "file:/a b"
