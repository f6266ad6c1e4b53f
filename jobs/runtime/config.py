"""Job configuration: command-line arguments > environment > defaults, resolved once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from transforms.contracts import BronzeSource, TableContract

ENV_PREFIX = "SDL_"

# The arguments every job resolves. `lake_root` only supplies defaults for the layer URIs.
LAKE_ARGUMENTS = (
    "lake_root",
    "bronze_uri",
    "silver_uri",
    "gold_uri",
    "quarantine_uri",
    "state_uri",
    "quality_mode",
    "pii_hash_key",
)
# Hashes made with this key are only for local sample data; real runs pass their own secret.
LOCAL_PII_HASH_KEY = "local-development-only"
QUALITY_MODES = ("enforce", "warn")
DEFAULT_LAKE_ROOT = "lake"


class ConfigError(ValueError):
    """An argument is missing or has a value the job cannot use."""


@dataclass(frozen=True)
class LakeConfig:
    bronze_uri: str
    silver_uri: str
    gold_uri: str
    quarantine_uri: str
    state_uri: str
    quality_mode: str = "enforce"
    pii_hash_key: str = LOCAL_PII_HASH_KEY

    def layer_uri(self, layer: str) -> str:
        return getattr(self, f"{layer}_uri")

    def table_uri(self, table: TableContract) -> str:
        return f"{self.layer_uri(table.layer)}/{table.domain}/{table.name}"

    def source_uri(self, source: BronzeSource) -> str:
        return f"{self.bronze_uri}/{source.prefix}"

    def state_path(self, *parts: str) -> str:
        return "/".join([self.state_uri, *parts])


def parse_arguments(argv: Sequence[str]) -> dict[str, str]:
    """`--name value` and `--name=value` pairs; anything else (the script path) is ignored."""
    parsed: dict[str, str] = {}
    i = 0
    while i < len(argv):
        token = argv[i]
        if token.startswith("--") and "=" in token:
            name, value = token[2:].split("=", 1)
            parsed[name] = value
        elif token.startswith("--") and i + 1 < len(argv) and not argv[i + 1].startswith("--"):
            parsed[token[2:]] = argv[i + 1]
            i += 1
        elif token.startswith("--"):
            parsed[token[2:]] = ""
        i += 1
    return parsed


def resolve_arguments(names: Sequence[str], argv: Sequence[str], environ: Mapping[str, str]) -> dict[str, str]:
    """Each of `names` from the command line, else from `SDL_<NAME>` in the environment."""
    given = parse_arguments(argv)
    resolved = {}
    for name in names:
        if name in given:
            resolved[name] = given[name]
        elif f"{ENV_PREFIX}{name.upper()}" in environ:
            resolved[name] = environ[f"{ENV_PREFIX}{name.upper()}"]
    return resolved


def _local_uri(path: str) -> str:
    """A plain local path as an absolute path; URIs (s3://, file:) unchanged."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", path):
        return path.rstrip("/")
    from pathlib import Path

    return str(Path(path).expanduser().resolve())


def config_from_arguments(args: Mapping[str, str]) -> LakeConfig:
    root = args.get("lake_root") or DEFAULT_LAKE_ROOT
    quality_mode = args.get("quality_mode") or "enforce"
    if quality_mode not in QUALITY_MODES:
        raise ConfigError(f"--quality_mode must be one of {QUALITY_MODES}, got {quality_mode!r}")
    layers = ("bronze", "silver", "gold", "quarantine", "state")
    uris = {f"{layer}_uri": _local_uri(args.get(f"{layer}_uri") or f"{root}/{layer}") for layer in layers}
    return LakeConfig(**uris, quality_mode=quality_mode, pii_hash_key=args.get("pii_hash_key") or LOCAL_PII_HASH_KEY)


def resolve_config(
    argv: Sequence[str], environ: Mapping[str, str], names: Sequence[str] = LAKE_ARGUMENTS
) -> LakeConfig:
    return config_from_arguments(resolve_arguments(names, argv, environ))
