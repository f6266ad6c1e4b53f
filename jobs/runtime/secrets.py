"""The PII hash key on Glue: read at run time from AWS Secrets Manager, never a job argument.

A job argument is readable by anyone with glue:GetJob and sits in Terraform's state; the
secret is KMS-encrypted and only the roles of the domains that hash PII may read it. A Glue
run without the secret has no key at all: it never falls back to the local sample key, and
a run that hashes PII without one fails (`LakeConfig.required_pii_hash_key`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from jobs.runtime.config import LOCAL_PII_HASH_KEY, ConfigError, LakeConfig


def with_pii_key_from_secret(config: LakeConfig, secrets: Any) -> LakeConfig:
    """`config` with the key from the secret `--pii_hash_key_secret` names (`secrets` is a
    boto3 Secrets Manager client)."""
    if config.pii_hash_key != LOCAL_PII_HASH_KEY:
        raise ConfigError(
            "on Glue the PII hash key is not a job argument: store it in the secret --pii_hash_key_secret"
        )
    if not config.pii_hash_key_secret:  # a job that hashes no PII is not given the secret
        return dataclasses.replace(config, pii_hash_key="")
    try:
        key = secrets.get_secret_value(SecretId=config.pii_hash_key_secret).get("SecretString", "")
    except (BotoCoreError, ClientError) as error:
        raise ConfigError(f"cannot read the PII hash key from {config.pii_hash_key_secret}: {error}") from None
    if not key.strip():
        raise ConfigError(f"the secret {config.pii_hash_key_secret} holds no PII hash key")
    return dataclasses.replace(config, pii_hash_key=key)
