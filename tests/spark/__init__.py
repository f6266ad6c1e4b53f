"""Transforms, the job-context seam and the catalog on the shared SparkSession."""
