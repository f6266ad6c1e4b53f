"""One SparkSession for the whole suite: local[2], two shuffle partitions, no UI, and a
metastore and warehouse in a temporary folder."""

from __future__ import annotations

import logging
import os
import urllib.request
from contextlib import contextmanager

import boto3
import pytest
from hypothesis import HealthCheck, settings
from moto.server import ThreadedMotoServer
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from jobs.runtime.config import LakeConfig, config_from_arguments
from jobs.runtime.session import local_session
from transforms.bronze import CSV_DELIMITER, header_names

# Property tests: a short budget in the suite, a long one in `make fuzz`. Each example starts
# Spark jobs, so there is no per-example deadline.
_PROPERTY_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("suite", max_examples=8, **_PROPERTY_SETTINGS)
settings.register_profile("fuzz", max_examples=300, **_PROPERTY_SETTINGS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    state = tmp_path_factory.mktemp("spark-state")
    session = local_session(str(state), master="local[2]", shuffle_partitions=2, app_name="tests")
    yield session
    session.stop()


def forget_catalog(spark) -> None:
    """Drop every database but `default`: the suite shares one metastore, while a new lake
    starts with an empty catalog (a lake's catalog pointing into another lake is an error)."""
    for database in spark.catalog.listDatabases():
        if database.name != "default":
            spark.sql(f"DROP DATABASE IF EXISTS {database.name} CASCADE")


@pytest.fixture
def lake(spark, tmp_path) -> LakeConfig:
    """A fresh, empty lake in a temporary folder, with an empty catalog."""
    forget_catalog(spark)
    return config_from_arguments({"lake_root": str(tmp_path / "lake")})


@pytest.fixture(scope="session")
def moto_endpoint():
    """A moto server on 127.0.0.1 for the whole suite: AWS's APIs, with botocore's validation."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


AWS_TEST_REGION = "eu-west-1"


def aws_environment(endpoint: str) -> dict[str, str]:
    """The standard AWS variables that point every boto3 client at the moto server."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": AWS_TEST_REGION,
    }


@pytest.fixture
def aws(moto_endpoint, monkeypatch) -> dict[str, str]:
    """boto3 configured only through the standard AWS environment variables, at a moto server
    emptied of what earlier tests created."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")).close()
    environment = aws_environment(moto_endpoint)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return environment


def put_secret(name: str, value: str) -> str:
    """Create (or update) a secret on the moto server; its ARN."""
    client = boto3.client("secretsmanager")
    try:
        return client.create_secret(Name=name, SecretString=value)["ARN"]
    except client.exceptions.ResourceExistsException:
        client.put_secret_value(SecretId=name, SecretString=value)
        return client.describe_secret(SecretId=name)["ARN"]


def with_csv_header(lines: DataFrame) -> DataFrame:
    """CSV lines as the reader gives them: each with its file's first line as header names."""
    first = lines.groupBy("source_file").agg(
        F.min_by("raw_record", "source_line").alias("_header"), F.min("source_line").alias("header_line")
    )
    named = lines.join(first, "source_file").withColumn("header_names", header_names(F.col("_header"), CSV_DELIMITER))
    return named.drop("_header")


@contextmanager
def spark_settings(spark, values: dict[str, str]):
    """Session settings changed for the block (collect inside it: plans read them when run)."""
    before = {key: spark.conf.get(key, None) for key in values}
    for key, value in values.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            spark.conf.unset(key) if value is None else spark.conf.set(key, value)
