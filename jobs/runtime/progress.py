"""Live progress of a long step: every few seconds while it runs, a line per stage Spark is
working on, with its tasks done of all and the records it has read so far. Read from Spark's
status store (what the UI shows; it is kept with the UI off too), from a thread of its own
that stops with the step; a step shorter than the interval says nothing more."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from types import TracebackType

from pyspark.sql import SparkSession

log = logging.getLogger("sales_data_lake")


@dataclass(frozen=True)
class StageProgress:
    stage_id: int
    name: str
    tasks: int
    tasks_done: int
    records_read: int  # input and shuffle records of the tasks finished so far


def active_stages(spark: SparkSession) -> list[StageProgress]:
    stages = spark.sparkContext._jsc.sc().statusStore().activeStages()
    found = []
    for i in range(stages.size()):
        stage = stages.apply(i)
        records = int(stage.inputRecords()) + int(stage.shuffleReadRecords())
        name = str(stage.name()).split(" at ")[0]
        found.append(
            StageProgress(int(stage.stageId()), name, int(stage.numTasks()), int(stage.numCompleteTasks()), records)
        )
    return sorted(found, key=lambda s: s.stage_id)


def progress_line(job: str, step: str, seconds: float, stage: StageProgress) -> str:
    return (
        f"[{job}] {step}: {seconds:.0f} s, stage {stage.stage_id} ({stage.name}) "
        f"{stage.tasks_done}/{stage.tasks} tasks, {stage.records_read:,} records read"
    )


class Progress:
    """`with Progress(spark, job, step, every):` logs the step's progress every `every` seconds."""

    def __init__(self, spark: SparkSession, job: str, step: str, every: float):
        self.spark, self.job, self.step, self.every = spark, job, step, every
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._report, name=f"progress {step}", daemon=True)

    def __enter__(self) -> Progress:
        self.started = time.time()
        if self.every > 0:
            self._thread.start()
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _report(self) -> None:
        while not self._done.wait(self.every):
            try:
                stages = active_stages(self.spark)
            except Exception as error:  # noqa: BLE001 - progress is a courtesy, never the step's failure
                log.debug("no progress for %s: %s", self.step, error)
                return
            for stage in stages:
                log.info(progress_line(self.job, self.step, time.time() - self.started, stage))
