"""One SparkSession for the whole suite: local[2], two shuffle partitions, no UI, and a
metastore and warehouse in a temporary folder."""

from __future__ import annotations

import logging
import os
import urllib.request

import pytest
from hypothesis import HealthCheck, settings
from moto.server import ThreadedMotoServer

from jobs.runtime.config import LakeConfig, config_from_arguments
from jobs.runtime.session import local_session
from tests.helpers.aws import aws_environment
from tests.helpers.spark import forget_catalog

# Property tests: a short budget in the suite, a long one in `make fuzz`. Each example starts
# Spark jobs, so there is no per-example deadline.
_PROPERTY_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("suite", max_examples=8, **_PROPERTY_SETTINGS)
settings.register_profile("fuzz", max_examples=300, **_PROPERTY_SETTINGS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test carries its tier's marker (unit, spark, e2e) from the folder it is in, so
    `-m unit` selects the pure-Python tier that runs without Java."""
    for item in items:
        tier = item.path.parent.name
        if tier in ("unit", "spark", "e2e"):
            item.add_marker(tier)


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    state = tmp_path_factory.mktemp("spark-state")
    session = local_session(str(state), master="local[2]", shuffle_partitions=2, app_name="tests")
    yield session
    session.stop()


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
