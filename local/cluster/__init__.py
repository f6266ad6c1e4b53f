"""A Spark standalone cluster on loopback, for running the lake on more than one process."""
