"""AWS settings for tests against the moto server the suite starts on 127.0.0.1."""

from __future__ import annotations

import boto3

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
