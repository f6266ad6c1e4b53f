"""Catalog tooling: the crawler and its schema inference, the local metastore, and publishing
the local catalog to the AWS Glue Data Catalog."""
