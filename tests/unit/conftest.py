"""The pure-Python tier runs without Java: a test here that asks for Spark is in the wrong place."""

import pytest


@pytest.fixture(scope="session")
def spark():
    raise pytest.UsageError("tests/unit run without Java; a test that needs Spark belongs in tests/spark")
