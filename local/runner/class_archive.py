"""The local driver's classes in one class data sharing archive (`jobs.runtime.session.CLASS_ARCHIVE`).

The archive is recorded by running the lake on a small sample in a JVM told to write the
classes it loaded when it exits. It is checked before it takes the archive's place: a JVM of
the same Java and class path must map it, or the build fails and nothing is replaced.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from pyspark.sql import SparkSession

from jobs.pipeline import WHOLE_LAKE
from jobs.runtime.config import resolve_config
from jobs.runtime.session import java_gateway, local_session
from local.runner.pipeline import run_pipeline
from local.sample.generator import GeneratorSettings, write_sample_lake

# Days and orders enough for every job, table and step of a run (both months of the sample's
# week), few enough to take seconds.
RECORDING_SAMPLE = GeneratorSettings(orders=200, days=7)
JVM_EXIT_SECONDS = 300  # writing the archive takes the exiting JVM 10-20 s

Workload = Callable[[SparkSession, str], None]  # what the recording JVM runs: the session, a scratch lake root


class ClassArchiveError(RuntimeError):
    """The recorded archive cannot be used by the JVM it was recorded for."""


def lake_on_sample(sample: GeneratorSettings) -> Workload:
    """The whole lake's jobs on `sample` landed in the scratch lake."""

    def run(spark: SparkSession, lake: str) -> None:
        write_sample_lake(Path(lake) / "bronze", Path(lake) / "ground_truth", sample)
        run_pipeline(spark, ["--lake_root", lake], {}, WHOLE_LAKE)

    return run


def build_class_archive(archive: Path, sample: GeneratorSettings = RECORDING_SAMPLE) -> Path:
    """Record the classes of a run of the lake on `sample` into `archive`."""
    return record_class_archive(archive, lake_on_sample(sample))


def record_class_archive(archive: Path, workload: Workload) -> Path:
    """Record the classes a new local driver loads running `workload` into `archive`, which is
    replaced only once the new one maps."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    recording = archive.with_name(archive.name + ".recording")
    recording.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="class-archive-") as lake:
        state_uri = resolve_config(["--lake_root", lake], {}).state_uri
        spark = local_session(state_uri, master="local[2]", class_archive=str(recording), record_classes=True)
        workload(spark, lake)
        java, class_path = java_and_class_path(spark)
        stop_jvm(spark)
    check_maps(java, class_path, recording)
    recording.replace(archive)
    return archive


def java_and_class_path(spark: SparkSession) -> tuple[str, str]:
    """The running driver's `java` and class path: what an archive of its classes is valid for."""
    system = java_gateway(spark).java.lang.System
    return f"{system.getProperty('java.home')}/bin/java", str(system.getProperty("java.class.path"))


def stop_jvm(spark: SparkSession) -> None:
    """Stop the session and wait for its JVM to exit (and so to finish writing its archive).

    PySpark's JVM exits when its standard input closes; Python would otherwise not wait for it.
    """
    jvm_process = spark.sparkContext._gateway.proc  # type: ignore[union-attr]
    spark.stop()
    jvm_process.stdin.close()
    jvm_process.wait(timeout=JVM_EXIT_SECONDS)


def check_maps(java: str, class_path: str, archive: Path) -> None:
    """Fail unless `java` with `class_path` maps `archive` (`-Xshare:on` refuses to start otherwise)."""
    if not archive.exists():
        raise ClassArchiveError(f"the JVM wrote no class archive at {archive}")
    command = [java, "-Xshare:on", f"-XX:SharedArchiveFile={archive}", "-cp", class_path, "-version"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        archive.unlink()
        raise ClassArchiveError(f"{java} cannot map the class archive {archive}: {result.stderr.strip()}")
