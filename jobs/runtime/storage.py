"""Small file operations through Hadoop's FileSystem API, so the same call works on a local
folder and on s3:// (EMRFS on Glue)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from pyspark.sql import SparkSession


@dataclass(frozen=True)
class FileInfo:
    uri: str
    size: int
    modified_ms: int


def canonical_uri(uri: str) -> str:
    """One spelling per file: Spark's `file:///a%20b` and Hadoop's `file:/a b` are the same."""
    text = unquote(uri)
    return "file:/" + text.removeprefix("file:").lstrip("/") if text.startswith("file:") else text


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


def list_folders(spark: SparkSession, uri: str) -> list[FileInfo]:
    """The folders directly below `uri` (none when it does not exist)."""
    fs, path = _fs_and_path(spark, uri)
    if not fs.exists(path):
        return []
    statuses = fs.listStatus(path)
    return sorted(
        (FileInfo(s.getPath().toString(), 0, s.getModificationTime()) for s in statuses if s.isDirectory()),
        key=lambda f: f.uri,
    )


def delete_path(spark: SparkSession, uri: str) -> bool:
    """Delete a file or a folder (recursively); False when there was nothing."""
    fs, path = _fs_and_path(spark, uri)
    return bool(fs.delete(path, True))


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
