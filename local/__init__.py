"""Everything that runs here and not on Glue: the runner and CLI, the sample lake, catalog
tooling (crawler, Glue publisher, contracts check), and a Spark standalone cluster."""
