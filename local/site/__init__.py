"""The catalog site: static pages built from the contracts and the lake's DuckDB database."""
