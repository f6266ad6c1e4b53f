"""One SparkSession for the whole suite: local[2], two shuffle partitions, no UI, and a
metastore and warehouse in a temporary folder."""

from __future__ import annotations

import logging

import pytest

from jobs.runtime.config import LakeConfig, config_from_arguments
from jobs.runtime.session import local_session


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
