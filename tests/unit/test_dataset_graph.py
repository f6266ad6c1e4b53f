"""The silver datasets run in the order their declared dependencies give, and cleaning can read
only what it declares."""

from dataclasses import replace

import pytest

from jobs.silver.datasets import DATASETS, Cleaning, dependency_order


def by_name(name: str):
    return next(d for d in DATASETS if d.name == name)


def test_each_dataset_comes_after_those_it_depends_on():
    names = [d.name for d in DATASETS]
    assert names == ["fx_rates", "customers", "products", "orders", "returns"]
    for dataset in DATASETS:
        assert all(names.index(upstream) < names.index(dataset.name) for upstream in dataset.depends_on)


def test_declaration_order_does_not_matter():
    assert [d.name for d in dependency_order(list(reversed(DATASETS)))] == [
        "products",
        "customers",
        "fx_rates",
        "orders",
        "returns",
    ]


def test_a_cycle_or_an_undeclared_dependency_is_refused():
    fx_needs_returns = replace(by_name("fx_rates"), depends_on=("returns",))
    with pytest.raises(ValueError, match="cycle"):
        dependency_order([fx_needs_returns, *DATASETS[1:]])
    with pytest.raises(ValueError, match="not declared"):
        dependency_order([by_name("orders")])


def test_cleaning_sees_only_the_batches_it_depends_on():
    cleaning = Cleaning(ctx=None, landed=None, silver=None, upstream={}, published={})  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        cleaning.current("orders")
