"""Job configuration: command-line arguments > environment > defaults, resolved once."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from jobs.runtime.cost import DPU_PER_WORKER
from transforms.contract_types import BronzeSource, TableContract

ENV_PREFIX = "SDL_"

# The arguments every job resolves. `lake_root` only supplies defaults for the layer URIs.
LAKE_ARGUMENTS = (
    "lake_root",
    "bronze_uri",
    "silver_uri",
    "gold_uri",
    "quarantine_uri",
    "ops_uri",
    "state_uri",
    "quality_mode",
    "pii_hash_key",
    "pii_hash_key_secret",
    "full_refresh",
    "lock_wait_seconds",
    "snapshot_retention_seconds",
    "domain",
    "lineage_url",
    "worker_type",
    "number_of_workers",
    "job-bookmark-option",  # Glue's own name for it, hyphens and all
)
# Local runs only: on Glue the key comes from the secret `pii_hash_key_secret` names.
LOCAL_ONLY_ARGUMENTS = ("pii_hash_key",)
# Hashes made with this key are only for local sample data; real runs pass their own secret.
LOCAL_PII_HASH_KEY = "local-development-only"
QUALITY_MODES = ("enforce", "warn")
BOOKMARK_ENABLE, BOOKMARK_DISABLE, BOOKMARK_PAUSE = "job-bookmark-enable", "job-bookmark-disable", "job-bookmark-pause"
BOOKMARK_OPTIONS = (BOOKMARK_ENABLE, BOOKMARK_DISABLE, BOOKMARK_PAUSE)
TRUE_WORDS, FALSE_WORDS = ("true", "1", "yes"), ("false", "0", "no", "")
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
    ops_uri: str  # the domains' operational tables (service level history)
    quality_mode: str = "enforce"
    pii_hash_key: str = LOCAL_PII_HASH_KEY
    pii_hash_key_secret: str = ""  # Secrets Manager secret (ARN or name) of the key, on Glue
    # Glue's semantics: enable reads only new input and commits; pause reads only new input
    # and commits nothing; disable reads everything and commits nothing.
    job_bookmark_option: str = BOOKMARK_ENABLE
    full_refresh: bool = False  # rebuild gold from all of silver, not just the affected dates
    lock_wait_seconds: float = 0.0  # how long a run waits for a concurrent run of its job
    # How long a table snapshot no longer published is kept, so queries reading it can finish.
    snapshot_retention_seconds: float = 3600.0
    # The one domain a run processes (each domain's data runs as its own job), or "" for all.
    domain: str = ""
    # Where the run's OpenLineage events go over HTTP (e.g. Marquez); "" keeps them in a local
    # lake's state folder (jobs.runtime.lineage).
    lineage_url: str = ""
    # The job's size on Glue (Terraform passes the job's own): what a run's EstimatedCost is
    # priced at; a local run is priced as the default job would be.
    worker_type: str = "G.1X"
    number_of_workers: int = 2

    @property
    def reads_incrementally(self) -> bool:
        return self.job_bookmark_option != BOOKMARK_DISABLE

    @property
    def commits_bookmarks(self) -> bool:
        return self.job_bookmark_option == BOOKMARK_ENABLE

    def required_pii_hash_key(self) -> str:
        """The key PII is hashed with; an error for a run that has none (on Glue, a job not
        given the secret)."""
        if not self.pii_hash_key:
            raise ConfigError("this run hashes PII: --pii_hash_key_secret must name the secret holding the key")
        return self.pii_hash_key

    def layer_uri(self, layer: str) -> str:
        return str(getattr(self, f"{layer}_uri"))

    def table_uri(self, table: TableContract) -> str:
        return f"{self.layer_uri(table.layer)}/{table.domain}/{table.name}"

    def source_uri(self, source: BronzeSource) -> str:
        return f"{self.bronze_uri}/{source.prefix}"

    def state_path(self, *parts: str) -> str:
        return "/".join([self.state_uri, *parts])


def job_identity(job: str, domain: str) -> str:
    """What a run of `job` for one domain is called in its state paths, locks and log lines:
    `customer_bronze_to_silver`; the job's own name when it runs for every domain."""
    return f"{domain}_{job}" if domain else job


Item = TypeVar("Item")


def for_domain(items: Sequence[Item], domain_of: Callable[[Item], str], domain: str) -> list[Item]:
    """The items of the domain `--domain` names, in their order; "" is every domain."""
    domains = sorted({domain_of(item) for item in items})
    if domain and domain not in domains:
        raise ConfigError(f"--domain must be one of {domains} (or none for all), got {domain!r}")
    return [item for item in items if not domain or domain_of(item) == domain]


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


def env_name(argument: str) -> str:
    """`job-bookmark-option` -> `SDL_JOB_BOOKMARK_OPTION`."""
    return ENV_PREFIX + argument.upper().replace("-", "_")


def resolve_arguments(names: Sequence[str], argv: Sequence[str], environ: Mapping[str, str]) -> dict[str, str]:
    """Each of `names` from the command line, else from `SDL_<NAME>` in the environment."""
    given = parse_arguments(argv)
    resolved = {}
    for name in names:
        if name in given:
            resolved[name] = given[name]
        elif env_name(name) in environ:
            resolved[name] = environ[env_name(name)]
    return resolved


def _local_uri(path: str) -> str:
    """A plain local path as an absolute path; URIs (s3://, file:) unchanged."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", path):
        return path.rstrip("/")
    from pathlib import Path

    return str(Path(path).expanduser().resolve())


def _choice(args: Mapping[str, str], name: str, choices: Sequence[str], default: str) -> str:
    value = args.get(name) or default
    if value not in choices:
        raise ConfigError(f"--{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def _flag(args: Mapping[str, str], name: str) -> bool:
    value = args.get(name, "").strip().lower()
    if value not in TRUE_WORDS + FALSE_WORDS:
        raise ConfigError(f"--{name} must be true or false, got {value!r}")
    return value in TRUE_WORDS


def _seconds(args: Mapping[str, str], name: str, default: float = 0.0) -> float:
    try:
        value = float(args.get(name) or default)
    except ValueError:
        raise ConfigError(f"--{name} must be a number of seconds, got {args[name]!r}") from None
    if value < 0:
        raise ConfigError(f"--{name} must not be negative, got {value}")
    return value


def _count(args: Mapping[str, str], name: str, default: int) -> int:
    text = args.get(name) or str(default)
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"--{name} must be a whole number of at least 1, got {text!r}")
    return int(text)


def config_from_arguments(args: Mapping[str, str]) -> LakeConfig:
    root = args.get("lake_root") or DEFAULT_LAKE_ROOT
    layers = ("bronze", "silver", "gold", "quarantine", "ops", "state")
    uris = {f"{layer}_uri": _local_uri(args.get(f"{layer}_uri") or f"{root}/{layer}") for layer in layers}
    return LakeConfig(
        **uris,
        quality_mode=_choice(args, "quality_mode", QUALITY_MODES, "enforce"),
        pii_hash_key=args.get("pii_hash_key") or LOCAL_PII_HASH_KEY,
        pii_hash_key_secret=args.get("pii_hash_key_secret", ""),
        job_bookmark_option=_choice(args, "job-bookmark-option", BOOKMARK_OPTIONS, BOOKMARK_ENABLE),
        full_refresh=_flag(args, "full_refresh"),
        lock_wait_seconds=_seconds(args, "lock_wait_seconds"),
        snapshot_retention_seconds=_seconds(args, "snapshot_retention_seconds", 3600.0),
        domain=args.get("domain", "").strip(),
        lineage_url=args.get("lineage_url", "").strip(),
        worker_type=_choice(args, "worker_type", tuple(DPU_PER_WORKER), "G.1X"),
        number_of_workers=_count(args, "number_of_workers", 2),
    )


def resolve_config(
    argv: Sequence[str], environ: Mapping[str, str], names: Sequence[str] = LAKE_ARGUMENTS
) -> LakeConfig:
    return config_from_arguments(resolve_arguments(names, argv, environ))
