"""Builds the wheel that Glue jobs install with --additional-python-modules (`make package`)."""

from pathlib import Path

from setuptools import find_packages, setup

# Glue provides Spark and awsglue itself; the wheel lists only what Glue lacks.
PROVIDED_BY_GLUE = ("pyspark", "awsglue")


def runtime_requirements() -> list[str]:
    lines = Path(__file__).with_name("requirements.txt").read_text().splitlines()
    wanted = [line.split("#")[0].strip() for line in lines]
    return [r for r in wanted if r and not r.lower().startswith(PROVIDED_BY_GLUE)]


setup(
    name="sales-data-lake",
    version="0.1.0",
    description="AWS Glue ETL jobs for a sales data lake, with a local Spark runner",
    # What a Glue job imports; local/ (the runner, sample data, catalog tooling, cluster) runs
    # only here, from the repository.
    packages=find_packages(include=["transforms*", "expectations*", "jobs*"]),
    # The data contracts the code reads, and the schema of the custom lineage facets it sends.
    package_data={"transforms": ["contracts/*/*.odcs.yaml"], "jobs": ["runtime/lineage_facets.schema.json"]},
    python_requires=">=3.11",
    install_requires=runtime_requirements(),
)
