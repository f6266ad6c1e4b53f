"""The lake's jobs as each domain runs them: a bronze_to_silver and a silver_to_gold run per
domain, each after the runs that publish what it reads. The local runner runs them in this
order; the Glue workflow in infra/ starts each when those before it succeeded (a test keeps
the two equal)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jobs import bronze_to_silver, silver_to_gold
from jobs.gold.marts import MARTS, marts_of, tables_read
from jobs.runtime.aws_needs import Touches
from jobs.runtime.config import job_identity
from jobs.runtime.context import JobContext
from jobs.runtime.ordering import in_dependency_order
from jobs.runtime.run_history import job_runs_table, run_figures_table
from jobs.runtime.run_record import RunRecord
from jobs.silver.datasets import DATASETS, datasets_of, published_upstream
from transforms.contracts import QUARANTINE_TABLES, SLA_HISTORY_TABLES

ENTRIES: dict[str, Callable[[JobContext], RunRecord]] = {
    bronze_to_silver.JOB: bronze_to_silver.main,
    silver_to_gold.JOB: silver_to_gold.main,
}


@dataclass(frozen=True)
class DomainJob:
    job: str  # the script's name
    domain: str  # "" runs it for every domain
    after: tuple[str, ...] = ()  # the runs (by name) that publish what it reads

    @property
    def name(self) -> str:
        return job_identity(self.job, self.domain)

    @property
    def entry(self) -> Callable[[JobContext], RunRecord]:
        return ENTRIES[self.job]

    @property
    def arguments(self) -> list[str]:
        return ["--domain", self.domain] if self.domain else []

    def touches(self) -> Touches:
        """What a run of it reads and writes: for the policies its role needs on AWS."""
        history = [job_runs_table(self.domain), run_figures_table(self.domain)]
        if self.job == bronze_to_silver.JOB:
            datasets = datasets_of(self.domain)
            domains = list(dict.fromkeys(d.source.domain for d in datasets))
            return Touches(
                self.name,
                sources=[d.source for d in datasets],
                writes=[d.table for d in datasets]
                + [t[d] for t in (QUARANTINE_TABLES, SLA_HISTORY_TABLES) for d in domains]
                + history,
                reads=[d.table for d in published_upstream(datasets)],
            )
        marts = marts_of(self.domain)
        domains = list(dict.fromkeys(m.table.domain for m in marts))
        return Touches(
            self.name,
            writes=[m.table for m in marts] + [SLA_HISTORY_TABLES[d] for d in domains] + history,
            reads=tables_read(marts),
            upstream_jobs=silver_to_gold.upstream_jobs(marts, self.domain),
        )


def silver_job(domain: str) -> str:
    return job_identity(bronze_to_silver.JOB, domain)


def domain_jobs() -> list[DomainJob]:
    """Every domain's two jobs: bronze_to_silver after the silver jobs of the other domains
    whose datasets its own depend on, silver_to_gold after the silver jobs whose tables its
    marts read; in an order that runs each after those."""
    jobs = []
    for domain in dict.fromkeys(d.source.domain for d in DATASETS):
        upstream = sorted({d.source.domain for d in published_upstream(datasets_of(domain))})
        jobs.append(DomainJob(bronze_to_silver.JOB, domain, tuple(silver_job(d) for d in upstream)))
    for domain in dict.fromkeys(m.table.domain for m in MARTS):
        jobs.append(
            DomainJob(silver_to_gold.JOB, domain, tuple(silver_to_gold.upstream_jobs(marts_of(domain), domain)))
        )
    return in_dependency_order(jobs, lambda j: j.name, lambda j: j.after, "jobs")


# One run of each job for every domain at once: the same code, fewer runs (a small lake's way).
WHOLE_LAKE = (DomainJob(bronze_to_silver.JOB, ""), DomainJob(silver_to_gold.JOB, "", (bronze_to_silver.JOB,)))
DOMAIN_JOBS = tuple(domain_jobs())
