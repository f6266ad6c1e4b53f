"""Job bookmarks with Glue's semantics (enable, pause, disable, commit only at the end, reset,
rewind) and the run lock. The Glue side keeps the same bookmark in its state folder
(tests/test_glue_shaped.py)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from jobs.runtime.bookmarks import FileBookmarks
from jobs.runtime.config import config_from_arguments
from jobs.runtime.context import JobContext
from jobs.runtime.local import local_context
from jobs.runtime.run_lock import JobAlreadyRunning, RunLock
from transforms.contracts import FX_RATES_SOURCE

JOB = "bookmark_test"


def land(root: Path, day: str, rows: str = "2026-01-01,EUR,1.1") -> Path:
    path = root / "bronze" / FX_RATES_SOURCE.prefix / f"ingest_date={day}" / "rates.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"rate_date,currency,rate_to_usd\n{rows}\n")
    return path


def context(spark, root: Path, option: str = "job-bookmark-enable") -> JobContext:
    config = config_from_arguments({"lake_root": str(root), "job-bookmark-option": option})
    return local_context(JOB, config, spark)


def reads(ctx) -> list[str]:
    """The days of the files a run reads (reading also records them in the run record)."""
    ctx.bronze.read(FX_RATES_SOURCE)
    return sorted(uri.split("ingest_date=")[1][:10] for uri in ctx.run.inputs[FX_RATES_SOURCE.prefix])


def test_enabled_bookmarks_read_only_new_or_changed_files(spark, tmp_path):
    land(tmp_path, "2026-01-01")
    land(tmp_path, "2026-01-02")
    assert committed_run(spark, tmp_path) == ["2026-01-01", "2026-01-02"]
    assert reads(context(spark, tmp_path)) == []
    land(tmp_path, "2026-01-03")
    land(tmp_path, "2026-01-01", rows="2026-01-01,EUR,1.2\n2026-01-01,GBP,1.3")  # corrected, longer
    third = context(spark, tmp_path)
    assert reads(third) == ["2026-01-01", "2026-01-03"]


def committed_run(spark, root: Path, option: str = "job-bookmark-enable") -> list[str]:
    ctx = context(spark, root, option)
    read = reads(ctx)
    ctx.commit()
    return read


def test_a_run_that_does_not_commit_leaves_the_bookmark_as_it_was(spark, tmp_path):
    land(tmp_path, "2026-01-01")
    committed_run(spark, tmp_path)
    land(tmp_path, "2026-01-02")
    crashed = context(spark, tmp_path)
    assert reads(crashed) == ["2026-01-02"]  # ... and dies before commit()
    assert reads(context(spark, tmp_path)) == ["2026-01-02"]


def test_pause_reads_only_new_files_and_commits_nothing(spark, tmp_path):
    land(tmp_path, "2026-01-01")
    committed_run(spark, tmp_path)
    land(tmp_path, "2026-01-02")
    assert committed_run(spark, tmp_path, "job-bookmark-pause") == ["2026-01-02"]
    assert reads(context(spark, tmp_path)) == ["2026-01-02"]


def test_disable_reads_everything_and_commits_nothing(spark, tmp_path):
    land(tmp_path, "2026-01-01")
    committed_run(spark, tmp_path)
    assert committed_run(spark, tmp_path, "job-bookmark-disable") == ["2026-01-01"]
    assert len(FileBookmarks(tmp_path / "state", JOB).runs()) == 1
    assert reads(context(spark, tmp_path)) == []


def test_reset_reads_all_again_and_rewind_goes_back_to_a_committed_run(spark, tmp_path):
    land(tmp_path, "2026-01-01")
    first = context(spark, tmp_path)
    reads(first)
    first.commit()
    land(tmp_path, "2026-01-02")
    second = context(spark, tmp_path)
    reads(second)
    second.commit()
    store = FileBookmarks(tmp_path / "state", JOB)
    assert store.runs() == sorted([first.run_id, second.run_id])

    store.rewind(first.run_id)
    assert reads(context(spark, tmp_path)) == ["2026-01-02"]
    store.reset()
    assert reads(context(spark, tmp_path)) == ["2026-01-01", "2026-01-02"]
    with pytest.raises(ValueError, match="no committed run 'nope'"):
        store.rewind("nope")


def test_an_unknown_bookmark_option_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="job-bookmark-option must be one of"):
        config_from_arguments({"lake_root": str(tmp_path), "job-bookmark-option": "sometimes"})


def test_a_second_run_of_the_same_job_exits_with_a_clear_message(spark, tmp_path):
    expected = rf"{JOB} is already running .* --lock_wait_seconds"
    with context(spark, tmp_path), pytest.raises(JobAlreadyRunning, match=expected), context(spark, tmp_path):
        pass
    with context(spark, tmp_path):  # released at the end of the first run
        pass


def test_a_run_waits_for_the_lock_when_told_to(tmp_path):
    holder = RunLock(tmp_path, JOB, "first")
    holder.acquire()
    threading.Timer(0.6, holder.release).start()
    waiting = RunLock(tmp_path, JOB, "second")
    started = time.monotonic()
    waiting.acquire(wait_seconds=10)
    assert waiting.held and 0.5 <= time.monotonic() - started < 10
    waiting.release()


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path):
    lock = RunLock(tmp_path, JOB, "new")
    lock.path.parent.mkdir(parents=True)
    gone = 2**22 + 12345  # above the default pid_max: no such process
    assert not os.path.exists(f"/proc/{gone}")
    lock.path.write_text(f'{{"pid": {gone}, "host": "{os.uname().nodename}", "run_id": "old"}}')
    lock.acquire()
    assert lock.held and '"run_id": "new"' in lock.path.read_text()
