"""Each domain owns its pipeline: its datasets and marts run as its own jobs, they read exactly
the products their contracts name as inputs, and another domain's products only as published
and granted to the reading domain's role in the producer's contract."""

from __future__ import annotations

import pytest

from jobs.gold.marts import MARTS, marts_of
from jobs.pipeline import DOMAIN_JOBS, DomainJob
from jobs.runtime.config import ConfigError
from jobs.silver.datasets import DATASETS, datasets_of
from transforms.contracts import ALL_TABLES, SOURCES

PRODUCTS = {p.qualified_name: p for p in (*ALL_TABLES, *SOURCES)}
SOURCE_NAMES = {s.qualified_name for s in SOURCES}
SILVER_OF = {d.name: d.table for d in DATASETS}


def code_reads() -> dict[str, set[str]]:
    """What the code reads to build each silver and gold table."""
    reads = {
        d.table.qualified_name: {d.source.qualified_name} | {SILVER_OF[n].qualified_name for n in d.depends_on}
        for d in DATASETS
    }
    return reads | {m.table.qualified_name: {t.qualified_name for t in m.reads} for m in MARTS}


def test_the_code_reads_exactly_the_inputs_each_contract_names():
    reads = code_reads()
    assert len(reads) == 9
    assert {name: set(PRODUCTS[name].inputs) for name in reads} == reads


def test_every_input_lists_its_consumer_and_grants_another_domain_read():
    problems = []
    for consumer, inputs in code_reads().items():
        domain = PRODUCTS[consumer].domain
        for name in inputs:
            product = PRODUCTS[name]
            if consumer not in product.consumers:
                problems.append(f"{name} does not list {consumer} among its consumers")
            if product.domain != domain and f"{domain}-producer" not in getattr(product, "readers", ()):
                problems.append(f"{name} grants {domain}-producer no read, yet {consumer} is built from it")
    assert problems == []


def test_a_producer_grant_is_given_only_where_another_domain_builds_from_the_product():
    used = {(PRODUCTS[c].domain, name) for c, inputs in code_reads().items() for name in inputs}
    granted = {
        (role.removesuffix("-producer"), table.qualified_name)
        for table in ALL_TABLES
        for role in table.readers
        if role.endswith("-producer")
    }
    assert granted and granted <= used


def test_only_gold_is_granted_to_analysts():
    assert {t.qualified_name for t in ALL_TABLES if "analyst" in t.readers} == {
        t.qualified_name for t in ALL_TABLES if t.layer == "gold"
    }


def test_a_domains_run_cleans_and_builds_only_its_own():
    assert [d.name for d in datasets_of("customer")] == ["customers"]
    assert [d.name for d in datasets_of("sales")] == ["fx_rates", "orders", "returns"]
    assert [d.name for d in datasets_of("")] == [d.name for d in DATASETS]
    assert [m.table.name for m in marts_of("product")] == ["product_performance"]
    with pytest.raises(ConfigError, match="--domain must be one of .*'customer'.* got 'finance'"):
        datasets_of("finance")
    with pytest.raises(ConfigError, match="got 'finance'"):
        marts_of("finance")


def producing_job(product: str) -> DomainJob:
    table = PRODUCTS[product]
    job = "silver_to_gold" if table.layer == "gold" else "bronze_to_silver"
    return next(j for j in DOMAIN_JOBS if j.job == job and j.domain == table.domain)


def test_each_job_runs_after_the_jobs_that_publish_what_it_reads():
    assert len(DOMAIN_JOBS) == 6
    order = [job.name for job in DOMAIN_JOBS]
    for consumer, inputs in code_reads().items():
        job = producing_job(consumer)
        upstream = {producing_job(n).name for n in inputs if n not in SOURCE_NAMES} - {job.name}
        assert upstream <= set(job.after), (job.name, upstream)
        assert all(order.index(u) < order.index(job.name) for u in upstream)
    assert order[-3:] == ["sales_silver_to_gold", "product_silver_to_gold", "customer_silver_to_gold"]
