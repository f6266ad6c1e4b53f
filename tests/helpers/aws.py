"""AWS settings for tests against the moto server the suite starts on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3

from jobs.runtime.cloudwatch import NAMESPACE

AWS_TEST_REGION = "eu-west-1"


def aws_environment(endpoint: str) -> dict[str, str]:
    """The standard AWS variables that point every boto3 client at the moto server."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": AWS_TEST_REGION,
    }


def put_secret(name: str, value: str) -> str:
    """Create (or update) a secret on the moto server; its ARN."""
    client = boto3.client("secretsmanager")
    try:
        return client.create_secret(Name=name, SecretString=value)["ARN"]
    except client.exceptions.ResourceExistsException:
        client.put_secret_value(SecretId=name, SecretString=value)
        return client.describe_secret(SecretId=name)["ARN"]


def metric_sum(name: str, dimensions: dict[str, str]) -> float:
    """The sum of a lake metric with exactly these dimensions, over the last hour, as
    CloudWatch (the moto server) holds it."""
    stats = boto3.client("cloudwatch").get_metric_statistics(
        Namespace=NAMESPACE,
        MetricName=name,
        Dimensions=[{"Name": k, "Value": v} for k, v in dimensions.items()],
        StartTime=datetime.now(UTC) - timedelta(hours=1),
        EndTime=datetime.now(UTC) + timedelta(minutes=5),
        Period=3600,
        Statistics=["Sum"],
    )
    return float(sum(point["Sum"] for point in stats["Datapoints"]))


def metrics_listed(name: str) -> list[dict[str, str]]:
    """The dimension sets CloudWatch (the moto server) holds for a lake metric."""
    pages = boto3.client("cloudwatch").get_paginator("list_metrics").paginate(Namespace=NAMESPACE, MetricName=name)
    return [{d["Name"]: d["Value"] for d in m["Dimensions"]} for page in pages for m in page["Metrics"]]
