"""The local runner: CLI, sample-data generator, pipeline runner and run summary."""
