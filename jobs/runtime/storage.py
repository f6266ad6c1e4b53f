"""Small file operations through Hadoop's FileSystem API, so the same call works on a local
folder and on s3:// (EMRFS on Glue)."""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import SparkSession


@dataclass(frozen=True)
class FileInfo:
    uri: str
    size: int
    modified_ms: int


def _fs_and_path(spark: SparkSession, uri: str):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def list_files(spark: SparkSession, uri: str) -> list[FileInfo]:
    """Every file below `uri`, recursively, sorted by name; hidden files (`_x`, `.x`) skipped."""
    fs, path = _fs_and_path(spark, uri)
    if not fs.exists(path):
        return []
    found = []
    iterator = fs.listFiles(path, True)
    while iterator.hasNext():
        status = iterator.next()
        name = status.getPath().getName()
        if not name.startswith(("_", ".")):
            found.append(FileInfo(status.getPath().toString(), status.getLen(), status.getModificationTime()))
    return sorted(found, key=lambda f: f.uri)


def write_text(spark: SparkSession, uri: str, text: str) -> None:
    fs, path = _fs_and_path(spark, uri)
    stream = fs.create(path, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def read_text(spark: SparkSession, uri: str) -> str | None:
    fs, path = _fs_and_path(spark, uri)
    if not fs.exists(path):
        return None
    stream = fs.open(path)
    try:
        jvm = spark.sparkContext._jvm
        return jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8")
    finally:
        stream.close()
