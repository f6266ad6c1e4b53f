# The analysts' workgroup: its settings enforced, results encrypted, bytes scanned per query
# capped; the repository's .sql files as named queries.

resource "aws_athena_workgroup" "analysts" {
  name          = "${var.name}-analysts"
  description   = "Analysts querying the gold tables"
  force_destroy = false

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.bytes_scanned_cutoff

    result_configuration {
      output_location = "s3://${var.results_bucket}/results/"
      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }
}

resource "aws_athena_named_query" "this" {
  for_each    = fileset(var.queries_dir, "*.sql")
  name        = trimsuffix(each.value, ".sql")
  description = "From ${each.value} in the repository"
  workgroup   = aws_athena_workgroup.analysts.id
  database    = var.database
  query       = file("${var.queries_dir}/${each.value}")
}
