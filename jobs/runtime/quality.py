"""The quality gate a job passes its tables through: each suite's result kept as JSON in the
state folder and as a verdict in the run record; a critical failure stops the job (enforce)."""

from __future__ import annotations

import json
import time

from pyspark.sql import DataFrame, SparkSession

from expectations.gate import Suite, SuiteResult, enforce, run_suite
from jobs.runtime.config import LakeConfig
from jobs.runtime.materialize import cached
from jobs.runtime.run_record import QualityVerdict, RunRecord
from jobs.runtime.storage import write_text


class QualityGate:
    def __init__(self, spark: SparkSession, config: LakeConfig, run: RunRecord):
        self.spark, self.config, self.run = spark, config, run

    def check(self, df: DataFrame, suite: Suite) -> SuiteResult:
        """Run the suite, keep its result, and stop the job on a critical failure."""
        started = time.time()
        result = run_suite(df, suite)
        uri = self.config.state_path("quality", self.run.job, self.run.run_id, f"{suite.name}.json")
        write_text(self.spark, uri, json.dumps(result.to_dict(), indent=2, default=str))
        self.run.quality[suite.name] = QualityVerdict(
            success=result.success,
            evaluated=len(result.outcomes),
            failed=[o.describe() for o in result.critical_failures],
            warnings=[o.describe() for o in result.warnings],
            result_uri=uri,
            seconds=round(time.time() - started, 2),
        )
        return enforce(result) if self.config.quality_mode == "enforce" else result

    def check_derived(self, df: DataFrame, suite: Suite) -> SuiteResult:
        """`check` for a frame computed from other tables (a join, an aggregate): computed
        once, cached while its suite reads it. Each Spark job of a suite would compute it
        again (the order lines' reference check at 18M lines: 72.7 s, cached 50.8 s)."""
        with cached(df) as frame:
            return self.check(frame, suite)
