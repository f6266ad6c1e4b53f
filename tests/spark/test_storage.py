"""File operations on both branches: Python for local folders, Hadoop's FileSystem API for any
other (s3:// on Glue, through EMRFS). The Hadoop branch is exercised here on Hadoop's local
file system, by hiding that the URI is local: the same JVM calls Glue makes against S3."""

from __future__ import annotations

import pytest

from jobs.runtime import storage
from jobs.runtime.bookmarks import FileBookmarks


@pytest.fixture(params=["python", "hadoop"])
def branch(request, monkeypatch):
    if request.param == "hadoop":
        monkeypatch.setattr(storage, "local_path_of", lambda uri: None)
    return request.param


def test_text_files_round_trip_and_list_on_either_branch(spark, tmp_path, branch):
    root = f"file:{tmp_path}/state"
    storage.write_text(spark, f"{root}/a/one.json", '{"x": "é"}')
    storage.write_text(spark, f"{root}/a/one.json", '{"x": "ü"}')  # replaced whole
    storage.write_text(spark, f"{root}/b/two.json", "2")
    assert storage.read_text(spark, f"{root}/a/one.json") == '{"x": "ü"}'
    assert storage.read_bytes(spark, f"{root}/missing.json") is None
    listed = [f.uri.rsplit("/", 2)[-2:] for f in storage.list_files(spark, root)]
    assert listed == [["a", "one.json"], ["b", "two.json"]]
    assert storage.delete_path(spark, f"{root}/a") and storage.read_text(spark, f"{root}/a/one.json") is None
    assert not storage.delete_path(spark, f"{root}/a")


def test_the_bookmark_store_works_on_either_branch(spark, tmp_path, branch):
    store = FileBookmarks(f"file:{tmp_path}/state", "job", spark)
    store.save({"sales/orders": {"file:/x.csv": [1, 2]}}, "20260101T000000Z-a")
    store.save({"sales/orders": {"file:/y.csv": [3, 4]}}, "20260102T000000Z-b")
    assert store.runs() == ["20260101T000000Z-a", "20260102T000000Z-b"]
    store.rewind("20260101T000000Z-a")
    assert store.load() == {"sales/orders": {"file:/x.csv": [1, 2]}}
    store.reset()
    assert store.load() == {}


def test_a_file_system_other_than_a_local_folder_needs_spark():
    with pytest.raises(ValueError, match="s3://bucket/x: reaching a file system other than a local folder"):
        storage.read_text(None, "s3://bucket/x")
