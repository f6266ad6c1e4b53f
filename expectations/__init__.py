"""Great Expectations suites, one per table, and the gate that runs them in the jobs."""
