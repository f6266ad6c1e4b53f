"""Gold rows held against the generator's independently computed ground truth."""

import datetime as dt
from decimal import Decimal


def plain_value(value):
    """A cell as the ground truth spells it: dates in ISO, decimals as text."""
    if isinstance(value, (dt.date, Decimal)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def gold_differences(rows, expected: list[dict], table) -> list[tuple]:
    """(key, column, actual, expected) for every cell of `rows` that differs from the truth."""
    actual = [{k: plain_value(v) for k, v in r.asDict().items()} for r in rows]
    key = lambda row: tuple(row[k] for k in table.primary_key)  # noqa: E731
    assert len(actual) == len(expected) > 0
    expected_by_key = {key(r): r for r in expected}
    return [
        (key(r), column, value, expected_by_key.get(key(r), {}).get(column))
        for r in actual
        for column, value in r.items()
        if expected_by_key.get(key(r), {}).get(column) != value
    ]
