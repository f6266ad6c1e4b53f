"""A stable dependency order: each item after those it needs, otherwise as listed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def in_dependency_order(
    items: Sequence[Item], name: Callable[[Item], str], needs: Callable[[Item], Iterable[str]], what: str
) -> list[Item]:
    """`items` so that each comes after the ones it `needs` (by name); an error names an
    unknown need or a cycle (`what` says what the items are)."""
    names = {name(item) for item in items}
    for item in items:
        unknown = set(needs(item)) - names
        if unknown:
            raise ValueError(f"{name(item)} depends on {sorted(unknown)}, which are not declared")
    ordered: list[Item] = []
    while len(ordered) < len(items):
        done = {name(item) for item in ordered}
        ready = [item for item in items if name(item) not in done and set(needs(item)) <= done]
        if not ready:
            raise ValueError(f"{what} depend on each other in a cycle: {sorted(names - done)}")
        ordered.append(ready[0])
    return ordered
