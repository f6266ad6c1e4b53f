"""Athena (Trino) SQL run here: translated with sqlglot to Spark SQL for the local catalog.

What has no Spark equivalent is an error that names it, never a query that runs as something
else: a construct sqlglot cannot translate (Trino's `try`, say), and a function neither
sqlglot knows nor Spark has. `today` pins `current_date` (a report as of a day; the tests'
sample lake lies in the past).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, UnsupportedError


class UntranslatableQuery(ValueError):
    """Athena SQL that cannot run here as it would on Athena."""


def _pinned_today(node: exp.Expression, today: date) -> exp.Expression:
    if isinstance(node, exp.CurrentDate):
        return exp.cast(exp.Literal.string(today.isoformat()), exp.DataType.Type.DATE)
    return node


def athena_to_spark(
    sql: str, function_exists: Callable[[str], bool] = lambda _: True, today: date | None = None, dialect: str = "spark"
) -> list[str]:
    """The Spark SQL statements of Athena `sql` (one or more, `;`-separated); with `dialect`,
    another engine's (the catalog site runs the named queries on DuckDB)."""
    try:
        trees = [tree for tree in sqlglot.parse(sql, read="athena") if tree is not None]
    except ParseError as error:
        raise UntranslatableQuery(f"not Athena SQL: {error}") from None
    statements = []
    for tree in trees:
        unknown = sorted({f.name for f in tree.find_all(exp.Anonymous) if not function_exists(f.name)})
        if unknown:
            raise UntranslatableQuery(f"Athena function(s) with no Spark equivalent here: {', '.join(unknown)}")
        if today is not None:
            tree = tree.transform(_pinned_today, today)
        try:
            statements.append(tree.sql(dialect=dialect, unsupported_level=ErrorLevel.RAISE))
        except UnsupportedError as error:
            raise UntranslatableQuery(f"cannot be translated to {dialect} SQL: {error}") from None
    if not statements:
        raise UntranslatableQuery("no statement in the query")
    return statements
