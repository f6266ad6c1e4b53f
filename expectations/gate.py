"""Run a suite over a DataFrame and turn the result into a pass, a warning or a failed gate."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations.expectation import Expectation
from pyspark.sql import DataFrame

log = logging.getLogger(__name__)

SAMPLE_KEYS = 10  # offending keys kept in the saved result
SHOWN_KEYS = 5  # and shown in messages


@dataclass(frozen=True)
class Suite:
    """A table's expectations, and the key columns that name the rows a failed one points at."""

    name: str
    key_columns: tuple[str, ...]
    expectations: tuple[Expectation, ...]
    columns: tuple[str, ...] = ()  # the columns the validated frame has


def _format_key(key: object) -> str:
    """{'order_id': 'O1', 'line_no': 2} -> 'order_id=O1 line_no=2'."""
    return " ".join(f"{name}={value}" for name, value in key.items()) if isinstance(key, dict) else str(key)


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    target: str
    severity: str
    success: bool
    unexpected_count: int
    sample_keys: list[dict[str, Any]]

    def describe(self) -> str:
        keys = "; ".join(_format_key(k) for k in self.sample_keys[:SHOWN_KEYS]) or "n/a"
        if self.unexpected_count > SHOWN_KEYS:
            keys += f"; and {self.unexpected_count - SHOWN_KEYS} more"
        return f"{self.expectation}({self.target}) failed on {self.unexpected_count} row(s); offending keys: {keys}"


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    success: bool
    outcomes: list[ExpectationOutcome]

    @property
    def critical_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "critical"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity != "critical"]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class QualityGateFailed(RuntimeError):
    def __init__(self, result: SuiteResult):
        self.result = result
        lines = [f"quality gate failed for {result.suite}:"]
        lines += [f"  - {o.describe()}" for o in result.critical_failures]
        super().__init__("\n".join(lines))


@functools.cache
def _batch_definition() -> Any:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    # persist=False: the source would otherwise cache each frame it validates, all columns,
    # and never uncache it. Our frames are plans over checkpoints, cheap to read again; the
    # cache cost a whole extra scan (validating silver at 5M lines: 50.3 s, without it 26.7 s)
    # and held each batch in memory twice for the rest of the run.
    asset = context.data_sources.add_spark("lake", persist=False).add_dataframe_asset("table")
    return asset.add_batch_definition_whole_dataframe("whole_table")


def _target(config: Any) -> str:
    kwargs = config.kwargs
    return str(kwargs.get("column") or ",".join(kwargs.get("column_list", [])))


def _severity(config: Any) -> str:
    severity = getattr(config, "severity", None) or "critical"
    return str(getattr(severity, "value", severity))


def _outcome(validation: Any) -> ExpectationOutcome:
    config = validation.expectation_config
    result = validation.result or {}
    return ExpectationOutcome(
        expectation=config.type,
        target=_target(config),
        severity=_severity(config),
        success=bool(validation.success),
        unexpected_count=int(result.get("unexpected_count") or 0),
        sample_keys=list(result.get("unexpected_index_list") or [])[:SAMPLE_KEYS],
    )


def _is_result_of(validation: Any, expectation: Any) -> bool:
    config = validation.expectation_config
    wanted = expectation.configuration.kwargs
    return config.type == expectation.expectation_type and all(config.kwargs.get(k) == v for k, v in wanted.items())


def _validate(batch: Any, name: str, expectations: Sequence[Any], result_format: str | dict[str, Any]) -> list[Any]:
    """One validation result per expectation, in the order given (Great Expectations returns
    them in an order of its own)."""
    gx_suite = gx.ExpectationSuite(name=name, expectations=[e.copy() for e in expectations])
    results = batch.validate(gx_suite, result_format=result_format).results
    return [next(r for r in results if _is_result_of(r, e)) for e in expectations]


def run_suite(df: DataFrame, suite: Suite) -> SuiteResult:
    """Validate `df` against `suite`; failing rows are named by the table's primary key.

    Two passes: a pass/fail verdict for every expectation (Great Expectations computes the
    aggregate ones together, in 6 to 8 Spark jobs a suite), then the offending rows only for
    those that failed.
    Asking every expectation for its unexpected rows up front costs about four times as many
    Spark jobs, on every run, for rows that are almost never there. Each pass reads `df` as
    it is (nothing is cached here): hand in a frame that is cheap to read again.
    """
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": df})
    verdicts = _validate(batch, suite.name, suite.expectations, "BOOLEAN_ONLY")
    failed = [e for e, verdict in zip(suite.expectations, verdicts, strict=True) if not verdict.success]
    details = {}
    if failed:
        complete = {
            "result_format": "COMPLETE",
            "unexpected_index_column_names": list(suite.key_columns),
            "partial_unexpected_count": SAMPLE_KEYS,
        }
        details = dict(zip(map(id, failed), _validate(batch, suite.name, failed, complete), strict=True))
    outcomes = [_outcome(details.get(id(e), verdict)) for e, verdict in zip(suite.expectations, verdicts, strict=True)]
    result = SuiteResult(suite.name, all(o.success for o in outcomes), outcomes)
    for warning in result.warnings:
        log.warning("%s: %s", suite.name, warning.describe())
    return result


def enforce(result: SuiteResult) -> SuiteResult:
    """Raise when a critical expectation failed; warnings pass through."""
    if result.critical_failures:
        raise QualityGateFailed(result)
    return result
