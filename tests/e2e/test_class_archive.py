"""The local driver's class archive (local.runner.class_archive), recorded by a JVM of its own
as `make class-archive` does, then mapped by the tests' own driver JVM."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from local.runner.class_archive import ClassArchiveError, check_maps, java_and_class_path

pytestmark = pytest.mark.slow  # a JVM of its own records the archive as it exits (about 25 s)

# A workload of a few classes: the recording mechanism is what is under test, not the lake.
RECORD = """
import sys
from pathlib import Path
from local.runner.class_archive import record_class_archive

def count_by_key(spark, lake):
    spark.range(1000).selectExpr("id % 7 AS key").groupBy("key").count().collect()

record_class_archive(Path(sys.argv[1]), count_by_key)
"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("class-archive") / "classes.jsa"
    result = subprocess.run([sys.executable, "-c", RECORD, str(path)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return path


def test_the_recorded_archive_takes_its_place_whole(archive):
    assert archive.stat().st_size > 10_000_000  # Spark's classes, not the JDK's few
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # no recording left behind


def test_the_drivers_jvm_maps_the_recorded_archive(spark, archive):
    java, class_path = java_and_class_path(spark)

    check_maps(java, class_path, archive)  # raises when `java -Xshare:on` refuses it


def test_an_archive_for_another_class_path_is_refused_and_removed(spark, archive, tmp_path):
    java, _ = java_and_class_path(spark)
    copy = tmp_path / "classes.jsa"
    shutil.copy(archive, copy)

    with pytest.raises(ClassArchiveError, match="cannot map"):
        check_maps(java, str(tmp_path), copy)
    assert not copy.exists()
