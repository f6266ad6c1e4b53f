"""Pure Python: no SparkSession, no Java (`make test-unit`)."""
