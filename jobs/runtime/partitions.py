"""A partition of a lake table as one value: its key columns and their values, as the catalog
and the folder names hold them (text, `order_date=2026-01-05`). An unpartitioned table is one
partition with no keys (`WHOLE_TABLE`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Partition:
    keys: tuple[str, ...]
    values: tuple[str, ...]  # in key order

    def __post_init__(self) -> None:
        if len(self.keys) != len(self.values):
            raise ValueError(f"partition keys {self.keys} and values {self.values} differ in number")

    @classmethod
    def of(cls, columns: Mapping[str, Any]) -> Partition:
        """From {column: value}; a date or number becomes the text of its folder name."""
        return cls(tuple(columns), tuple(str(v) for v in columns.values()))

    @classmethod
    def at(cls, keys: Sequence[str], values: Sequence[Any]) -> Partition:
        return cls(tuple(keys), tuple(str(v) for v in values))

    def __getitem__(self, key: str) -> str:
        return self.values[self.keys.index(key)]

    def as_dict(self) -> dict[str, str]:
        return dict(zip(self.keys, self.values, strict=True))

    @property
    def path(self) -> str:
        """`k1=v1/k2=v2`, as Hive names the partition's folder."""
        return "/".join(f"{k}={v}" for k, v in zip(self.keys, self.values, strict=True))


WHOLE_TABLE = Partition((), ())
