"""Spark settings shared by every session the lake opens, and the local session builder."""

from __future__ import annotations

import os

from pyspark.sql import SparkSession

# Settings that keep results identical between Glue and local runs.
COMMON_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.parquet.compression.codec": "snappy",
}

# Loggers that print a stack trace for something harmless: Spark looks for an Avro data source
# when a Hive Avro table (the crawler's bronze Avro tables) is created, and goes on without it.
QUIET_LOGGERS = ("org.apache.spark.sql.execution.command.DDLUtils",)


def local_session(
    state_dir: str,
    master: str = "local[*]",
    shuffle_partitions: int = 8,
    app_name: str = "sales-data-lake",
) -> SparkSession:
    """A local session whose Hive metastore (embedded Derby) and warehouse live in `state_dir`."""
    os.makedirs(state_dir, exist_ok=True)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # stay on loopback
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.warehouse.dir", os.path.join(state_dir, "warehouse"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={os.path.join(state_dir, 'metastore_db')};create=true",
        )
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={state_dir}")
    )
    for key, value in COMMON_SETTINGS.items():
        builder = builder.config(key, value)
    spark = builder.enableHiveSupport().getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    _silence(spark, QUIET_LOGGERS)
    return spark


def _silence(spark: SparkSession, loggers: tuple[str, ...]) -> None:
    jvm = spark.sparkContext._jvm
    for name in loggers:
        jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(name, jvm.org.apache.logging.log4j.Level.OFF)
