"""The seam between job code and where it runs: AWS Glue or plain local Spark."""
