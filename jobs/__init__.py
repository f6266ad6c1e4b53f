"""Glue job entry points, one file per job, over one job-context seam (`jobs.runtime`)."""
