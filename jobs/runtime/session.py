"""Spark settings shared by every session the lake opens, and the local session builder."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from pyspark.sql import SparkSession

# Settings that keep results identical between Glue and local runs.
COMMON_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.parquet.compression.codec": "snappy",
    # The transforms are written for ANSI mode (Spark 4's default): parsing uses try_cast, and
    # an overflow in money arithmetic fails instead of becoming null. Pinned, so that a
    # platform default (Glue's, or a later Spark's) cannot change results silently.
    "spark.sql.ansi.enabled": "true",
    # A condition on partition columns is sent to the catalog, one equality per value: over
    # about 200 values Derby's metastore fails the read, and Glue's catalog takes at most 2,048
    # characters of it. A longer IN list goes as its range; Spark keeps the values themselves.
    "spark.sql.hive.metastorePartitionPruningInSetThreshold": "50",
    # A condition the catalog still refuses (Derby cannot always compare a range of dates)
    # lists all the table's partitions instead, and Spark picks them: slower, never wrong.
    "spark.sql.hive.metastorePartitionPruningFallbackOnException": "true",
    # Constraint propagation only adds filters implied by others (a join key is not null), and
    # on the cleaning's wide plans it cost seconds of planning per plan: 2.6 of the 8.6 s the
    # optimizer took over a million order lines' bronze step. Off, no result changes.
    "spark.sql.constraintPropagation.enabled": "false",
}

# The JVM leaves methods over 8,000 bytes of bytecode to its interpreter, and Spark's generated
# code for a wide stage (the order lines' parsing and reason codes, say) is bigger than that:
# such a stage runs about 4x slower. Locally the JVM is told to compile them anyway; on Glue,
# whose JVM flags a job does not set, Spark splits such code into smaller methods instead.
# The throughput collector suits batch work: the pipeline runs 5-10% faster than with G1.
LOCAL_JVM_OPTIONS = "-XX:-DontCompileHugeMethods -XX:+UseParallelGC"
GLUE_SETTINGS = {"spark.sql.codegen.hugeMethodLimit": "8000"}

# Code only the driver runs, kept from the JVM's optimizing compiler (C2) and left to its quick
# one (C1): the code generator's compiler (Janino), the embedded metastore (Derby, DataNucleus,
# Hive), SQL parsing (ANTLR), Py4J, and Catalyst's analysis and optimization of plans. A run
# starts a new JVM, and on two cores C2 spent a quarter of a 5M run's CPU compiling Spark as
# it went, this code among it, beside the tasks; C1's code is fast enough for what the driver
# does with it (bench/NOTES.md, "A cold JVM and a warm one"). Patterns as the JVM's compiler
# directives write them: a package's classes, every method.
DRIVER_ONLY_CODE = (
    "org/codehaus/*",
    "org/apache/derby/*",
    "org/datanucleus/*",
    "org/apache/hadoop/hive/*",
    "org/antlr/*",
    "py4j/*",
    "org/apache/spark/sql/catalyst/analysis/*",
    "org/apache/spark/sql/catalyst/optimizer/*",
    "org/apache/spark/sql/catalyst/parser/*",
    "org/apache/spark/sql/catalyst/rules/*",
    "org/apache/spark/sql/catalyst/trees/*",
)
COMPILER_DIRECTIVES_FILE = "jvm-compiler-directives.json"

# The classes a local run loads (Spark's, Hive's, Parquet's: about 20,000), kept in a class
# data sharing archive of the JDK's, which `python -m local class-archive` writes once per
# environment (`make class-archive`). A JVM started with it maps them from that file instead
# of reading and verifying them from the jars again (bench/NOTES.md, "Spark's classes,
# archived"). The JVM checks the archive against its own version and class path, and runs
# without it when they differ.
CLASS_ARCHIVE = os.path.join(sys.prefix, "share", "sales-data-lake", "spark-classes.jsa")

DEFAULT_DRIVER_MEMORY = "4g"

# Loggers that print a stack trace for something harmless: Spark looks for an Avro data source
# when a Hive Avro table (the crawler's bronze Avro tables) is created, and goes on without it.
QUIET_LOGGERS = ("org.apache.spark.sql.execution.command.DDLUtils",)


def local_session(
    state_dir: str,
    master: str = "local[*]",
    shuffle_partitions: int = 8,
    app_name: str = "sales-data-lake",
    driver_memory: str = DEFAULT_DRIVER_MEMORY,
    class_archive: str = CLASS_ARCHIVE,
    record_classes: bool = False,
) -> SparkSession:
    """A local session whose Hive metastore (embedded Derby) and warehouse live in `state_dir`.

    In local mode the tasks run in the driver's JVM, so `driver_memory` is the memory of the
    whole run (Spark's own default, 1g, runs out at about a million order lines). The driver
    maps its classes from `class_archive` when it exists, or writes the archive as it exits
    when `record_classes` is set (`driver_java_options`).
    """
    os.makedirs(state_dir, exist_ok=True)
    with open(os.path.join(state_dir, COMPILER_DIRECTIVES_FILE), "w", encoding="utf-8") as directives:
        directives.write(compiler_directives(DRIVER_ONLY_CODE))
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # stay on loopback
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.driver.memory", driver_memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        # Cached frames are read a few times within a job and this machine has memory to
        # spare: building an uncompressed cache is a third faster.
        .config("spark.sql.inMemoryColumnarStorage.compressed", "false")
        # Local folders list fast on the driver; a Spark job per listing costs a second.
        .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000")
        # Hadoop's default local file system writes a checksum file (.crc) beside every file
        # and checks it on every read of that file (S3 has no such files). Without them,
        # writing a table of 365 daily partitions takes a third less time (3.3 s against 4.9 s).
        .config("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem")
        # A run generates some 600 classes and Spark's default cache keeps 100: a process that
        # runs job after job (run-local's domains, the tests) would compile the same plans again.
        .config("spark.sql.codegen.cache.maxEntries", "2000")
        .config("spark.sql.warehouse.dir", os.path.join(state_dir, "warehouse"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={os.path.join(state_dir, 'metastore_db')};create=true",
        )
        .config("spark.driver.extraJavaOptions", driver_java_options(state_dir, class_archive, record_classes))
        .config("spark.executor.extraJavaOptions", LOCAL_JVM_OPTIONS)
    )
    for key, value in COMMON_SETTINGS.items():
        builder = builder.config(key, value)
    spark = builder.enableHiveSupport().getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    _silence(spark, QUIET_LOGGERS)
    return spark


def compiler_directives(patterns: tuple[str, ...]) -> str:
    """The JVM's compiler directives (JSON) that keep the methods of `patterns` from C2."""
    methods = [f"{pattern}.*" for pattern in patterns]
    return json.dumps([{"match": methods, "c2": {"Exclude": True}}], indent=1)


def driver_java_options(state_dir: str, class_archive: str, record_classes: bool = False) -> str:
    """The local driver JVM's options: Derby's home, `LOCAL_JVM_OPTIONS`, the compiler directives
    `local_session` writes into `state_dir`, and the class archive, written at the JVM's exit
    when recording, used when it exists."""
    directives = os.path.join(state_dir, COMPILER_DIRECTIVES_FILE)
    options = [
        f"-Dderby.system.home={state_dir}",
        LOCAL_JVM_OPTIONS,
        "-XX:+UnlockDiagnosticVMOptions",
        f"-XX:CompilerDirectivesFile={directives}",
    ]
    if record_classes:
        # The JVM warns of every class it leaves out (generated ones, signed jars): thousands of lines.
        options += [f"-XX:ArchiveClassesAtExit={class_archive}", "-Xlog:cds*=error"]
    elif os.path.exists(class_archive):
        options.append(f"-XX:SharedArchiveFile={class_archive}")
    return " ".join(options)


def _silence(spark: SparkSession, loggers: tuple[str, ...]) -> None:
    jvm = java_gateway(spark)
    for name in loggers:
        jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(name, jvm.org.apache.logging.log4j.Level.OFF)


def java_gateway(spark: SparkSession) -> Any:
    """The session's JVM view (Py4J: untyped), for the Hadoop and Spark classes Python has no API for."""
    jvm = spark.sparkContext._jvm
    if jvm is None:
        raise RuntimeError("the SparkSession has no JVM (stopped?)")
    return jvm
