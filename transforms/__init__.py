"""Pure PySpark transforms: DataFrames and plain parameters in, a DataFrame out.

Nothing in this package reads or writes storage, creates a session or looks at the
environment. Column helpers (Column -> Column) live in `columns`; DataFrame transforms
in the other modules, each chainable with `df.transform(...)`.
"""
