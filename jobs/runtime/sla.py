"""Service levels, checked at the end of every job run against what the contracts promise.

Each check is a pure function from what the run measured to an `SlaResult`; the job calls
the ones its outputs' contracts ask for. Results go into the run record and the summary, a
breach is logged (one line per breach) and counted (the run's `sla_breaches` metric and, on
CloudWatch, `SlaBreaches`); a breach of an enforced service level (driver: regulatory) fails
the run.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date, datetime

from jobs.runtime.run_record import Ledger, RunRecord, SlaResult
from transforms.contract_types import Sla

log = logging.getLogger("sales_data_lake")
INGEST_DATE = re.compile(r"/ingest_date=(\d{4}-\d{2}-\d{2})/")


class SlaBreached(RuntimeError):
    """An enforced service level was missed; the message names each one."""


def completeness(product: str, sla: Sla, ledger: Ledger) -> SlaResult:
    """The share of a source's landed records that reached silver (a superseded older version
    did), against the agreed percent; the reasons of the others, most frequent first."""
    rejected = ledger.rejected_by_reason
    share = 100.0 if ledger.rows_in == 0 else 100.0 * (1 - sum(rejected.values()) / ledger.rows_in)
    reasons = ", ".join(f"{r} {n}" for r, n in sorted(rejected.items(), key=lambda item: (-item[1], item[0])))
    return SlaResult(product, "completeness", f">= {sla.value}%", f"{share:.1f}%", share >= float(sla.value),
                     sla.enforced, reasons)  # fmt: skip


def newest_ingest_date(uris: Iterable[str]) -> date | None:
    """The newest `ingest_date=` folder among the files a run read."""
    days = [date.fromisoformat(m.group(1)) for uri in uris if (m := INGEST_DATE.search(uri))]
    return max(days, default=None)


def freshness(product: str, sla: Sla, newest_business: date | None, newest_input: date | None) -> SlaResult:
    """Days between the newest business date published (`sla.element`) and the newest data the
    run read, against the agreed days. Nothing published yet is a breach."""
    agreed = f"<= {sla.value} {sla.unit} behind the newest input"
    if newest_business is None or newest_input is None:
        return SlaResult(product, "freshness", agreed, "no data", False, sla.enforced, f"no {sla.element} published")
    lag = (newest_input - newest_business).days
    detail = f"newest {sla.element} {newest_business}, newest input {newest_input}"
    if lag < 0:  # fresh, but worth a look: the data is dated after the files that brought it
        detail += f"; {sla.element} after the newest input"
    return SlaResult(product, "freshness", agreed, f"{lag} d", lag <= float(sla.value), sla.enforced, detail)


def latency(product: str, sla: Sla, oldest_landed: datetime | None, published: datetime) -> SlaResult:
    """Hours from the oldest file this run read landing to its records being published."""
    if oldest_landed is None:
        return SlaResult(product, "latency", f"<= {sla.value} h", "nothing read", True, sla.enforced)
    hours = (published - oldest_landed).total_seconds() / 3600
    return SlaResult(product, "latency", f"<= {sla.value} h", f"{hours:.1f} h", hours <= float(sla.value), sla.enforced)


def time_of_availability(product: str, sla: Sla, published: datetime) -> SlaResult:
    """Published by the agreed time of day (UTC)."""
    by = datetime.strptime(str(sla.value), "%H:%M").time()
    at = published.time().replace(microsecond=0)
    return SlaResult(product, "timeOfAvailability", f"by {by:%H:%M} UTC", f"{at:%H:%M} UTC", at <= by, sla.enforced)


def record(run: RunRecord, results: list[SlaResult]) -> None:
    """Keep the results in the run record, log each breach and count them as a metric; an
    enforced breach fails the run (after the record is written)."""
    run.sla += results
    breaches = [r for r in results if not r.met]
    for breach in breaches:
        log.warning("[%s] SLA breach: %s", run.job, breach.describe())
    run.metric("sla_breaches", len([r for r in run.sla if not r.met]))


def history_rows(run: RunRecord, results: Iterable[SlaResult], checked_at: datetime) -> list[tuple[object, ...]]:
    """The results as rows of a domain's service level history (its `sla_history` table's
    column order: run_id, job, checked_at, product, property, agreed, measured, met, enforced,
    detail)."""
    return [
        (run.run_id, run.job, checked_at, r.product, r.property, r.agreed, r.measured, r.met, r.enforced,
         r.detail or None)
        for r in results
    ]  # fmt: skip


def enforce(run: RunRecord) -> None:
    enforced = [r.describe() for r in run.sla if r.enforced and not r.met]
    if enforced:
        raise SlaBreached("; ".join(enforced))
