"""The benchmark's memory sampling: the process tree's PSS (each shared page once) beside its
summed RSS, and the peak of either over a step."""

from __future__ import annotations

import sys

from bench.measure import PSS_AT_LEAST_EVERY, MeasuredRun, Sample, pss_due, python_module, run_measured


def test_a_step_peak_is_its_largest_sample_of_the_kind_asked():
    run = MeasuredRun(0, 3.0, [Sample(10.0, 900, 500), Sample(11.0, 1200, 700), Sample(12.0, 1000, 800)])
    assert (run.peak_bytes(), run.peak_bytes(kind="rss")) == (800, 1200)
    assert (run.peak_bytes(10.5, 11.5), run.peak_bytes(10.5, 11.5, "rss")) == (700, 1200)


def test_pss_is_read_first_then_when_resident_memory_moves_or_time_passes():
    gb = 1 << 30
    assert pss_due(4 * gb, None, 0.0)
    assert not pss_due(4 * gb + (40 << 20), 4 * gb, 1.0)  # 1% more: the last reading stands
    assert pss_due(4 * gb + (100 << 20), 4 * gb, 1.0) and pss_due(4 * gb - (100 << 20), 4 * gb, 1.0)
    assert pss_due(4 * gb, 4 * gb, PSS_AT_LEAST_EVERY)


def test_a_tree_that_shares_pages_weighs_less_as_pss_than_its_summed_rss(tmp_path):
    """A Python process and a forked child share their interpreter's pages: summed RSS counts
    them twice, PSS once."""
    forks = "import os, time; pid = os.fork(); time.sleep(1.0); pid and os.waitpid(pid, 0)"
    measured = run_measured([sys.executable, "-c", forks], str(tmp_path / "log"))
    assert measured.returncode == 0 and measured.samples
    assert 0 < measured.peak_bytes() < measured.peak_bytes(kind="rss")
    assert python_module("bench.engines", "spark")[1:] == ["-m", "bench.engines", "spark"]
