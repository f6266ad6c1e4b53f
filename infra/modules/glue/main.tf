# The catalog (databases per domain and layer, encrypted), the bronze crawlers, the jobs
# (each domain's bronze_to_silver and silver_to_gold, under the domain's own role), and the
# pipeline: a scheduled start, then each job when every job it waits for succeeded, in one
# Glue workflow.

locals {
  databases = toset(flatten([for domain in var.domains : [for layer in var.layers : "${domain}_${layer}"]]))

  # The arguments each job script resolves (its ARGUMENTS); tests/test_infra.py keeps the
  # two sides equal. On Glue the layer URIs are explicit, so lake_root only names the prefix.
  lake_arguments = {
    "--lake_root"                  = "s3://${var.bucket_ids.artifacts}/lake"
    "--bronze_uri"                 = "s3://${var.bucket_ids.bronze}"
    "--silver_uri"                 = "s3://${var.bucket_ids.silver}/silver"
    "--quarantine_uri"             = "s3://${var.bucket_ids.silver}/quarantine"
    "--ops_uri"                    = "s3://${var.bucket_ids.artifacts}/ops"
    "--gold_uri"                   = "s3://${var.bucket_ids.gold}"
    "--state_uri"                  = "s3://${var.bucket_ids.artifacts}/state"
    "--quality_mode"               = var.quality_mode
    "--full_refresh"               = "false"
    "--lock_wait_seconds"          = "0"
    "--snapshot_retention_seconds" = "3600"
    "--job-bookmark-option"        = "job-bookmark-enable"
  }

  lineage_arguments = var.lineage_url == "" ? {} : { "--lineage_url" = var.lineage_url }

  # What Glue itself reads: script language, the lake's wheel and the libraries Glue does not
  # ship (pip-installed on every node at start: AWS documents wheels for
  # --additional-python-modules; --extra-py-files ships only .py/.zip to the executors),
  # metrics, the log groups (Glue 5.0 and later: <prefix>/output and <prefix>/error), the
  # catalog, and a temporary folder inside what the job role may write.
  platform_arguments = {
    "--job-language"              = "python"
    "--additional-python-modules" = join(",", concat(["s3://${var.bucket_ids.artifacts}/${aws_s3_object.wheel.key}"], var.python_modules))
    "--enable-metrics"            = "true"
    "--custom-logGroup-prefix"    = var.job_log_group_prefix
    "--enable-glue-datacatalog"   = "true"
  }

  scripts = toset([for job in var.jobs : job.script])
  # The layer a job script publishes: its cost goes to that layer.
  layer_of_script = { "bronze_to_silver.py" = "silver", "silver_to_gold.py" = "gold" }

  # What differs per job: its domain, a temporary folder its role may write, its size (the
  # run prices itself at it: EstimatedCost), and the PII hash key's secret where it hashes PII
  # (bronze_to_silver of the domains that do; no other role may read it).
  domain_arguments = {
    for name, job in var.jobs : name => merge(
      {
        "--domain"            = job.domain
        "--TempDir"           = "s3://${var.bucket_ids.artifacts}/state/glue-temp/${job.domain}/"
        "--worker_type"       = var.job_sizes[trimsuffix(job.script, ".py")].worker_type
        "--number_of_workers" = tostring(var.job_sizes[trimsuffix(job.script, ".py")].number_of_workers)
      },
      contains(var.pii_domains, job.domain) && job.script == "bronze_to_silver.py" ? { "--pii_hash_key_secret" = var.pii_key_secret_arn } : {},
    )
  }
}

resource "aws_glue_catalog_database" "this" {
  for_each    = local.databases
  name        = each.value
  description = "${each.value} of the Sales Data Lake"
}

# One setting for the whole account's catalog in the region: only where this lake owns it.
resource "aws_glue_data_catalog_encryption_settings" "this" {
  count = var.manage_catalog_encryption ? 1 : 0
  data_catalog_encryption_settings {
    encryption_at_rest {
      catalog_encryption_mode = "SSE-KMS"
      sse_aws_kms_key_id      = var.kms_key_arn
    }
    connection_password_encryption {
      return_connection_password_encrypted = true
      aws_kms_key_id                       = var.kms_key_arn
    }
  }
}

resource "aws_glue_security_configuration" "this" {
  name = var.name
  encryption_configuration {
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = var.kms_key_arn
    }
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = var.kms_key_arn
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = var.kms_key_arn
    }
  }
}

# ---- the crawlers: one per domain, into its bronze database --------------------------------
resource "aws_glue_crawler" "bronze" {
  for_each               = toset(var.domains)
  tags                   = { domain = each.key, layer = "bronze" } # cost allocation
  name                   = "${var.name}-${each.key}-bronze"
  database_name          = aws_glue_catalog_database.this["${each.key}_bronze"].name
  role                   = var.crawler_role_arn
  schedule               = var.crawler_schedule
  security_configuration = aws_glue_security_configuration.this.name

  s3_target {
    path = "s3://${var.bucket_ids.bronze}/${each.key}/"
  }

  # New columns and widened types are applied; a table gone from S3 is only marked deprecated.
  schema_change_policy {
    update_behavior = "UPDATE_IN_DATABASE"
    delete_behavior = "DEPRECATE_IN_DATABASE"
  }

  recrawl_policy {
    recrawl_behavior = "CRAWL_EVERYTHING"
  }

  configuration = jsonencode({
    Version = 1.0
    Grouping = {
      TableGroupingPolicy     = "CombineCompatibleSchemas"
      TableLevelConfiguration = 3 # s3://bucket/<domain>/<dataset>/ is one table
    }
    CrawlerOutput = {
      Partitions = { AddOrUpdateBehavior = "InheritFromTable" }
    }
  })
}

# ---- the jobs ----------------------------------------------------------------------------
resource "aws_s3_object" "script" {
  for_each    = local.scripts
  bucket      = var.bucket_ids.artifacts
  key         = "jobs/${each.value}"
  source      = "${var.jobs_dir}/${each.value}"
  source_hash = filemd5("${var.jobs_dir}/${each.value}")
}

resource "aws_s3_object" "wheel" {
  bucket      = var.bucket_ids.artifacts
  key         = "wheels/${basename(var.wheel_path)}"
  source      = var.wheel_path
  source_hash = filemd5(var.wheel_path)
}

resource "aws_glue_job" "this" {
  for_each               = var.jobs
  tags                   = { domain = each.value.domain, layer = local.layer_of_script[each.value.script] } # cost allocation
  name                   = "${var.name}-${each.key}"
  role_arn               = var.job_role_arns[each.value.domain]
  glue_version           = "6.0"
  worker_type            = var.job_sizes[trimsuffix(each.value.script, ".py")].worker_type
  number_of_workers      = var.job_sizes[trimsuffix(each.value.script, ".py")].number_of_workers
  timeout                = var.job_sizes[trimsuffix(each.value.script, ".py")].timeout_minutes
  max_retries            = 0 # a failed run is rerun by hand or by the next trigger, after a look
  security_configuration = aws_glue_security_configuration.this.name

  command {
    name            = "glueetl"
    python_version  = "3"
    script_location = "s3://${var.bucket_ids.artifacts}/${aws_s3_object.script[each.value.script].key}"
  }

  execution_property {
    max_concurrent_runs = 1 # one run of a job at a time, as the local run lock does
  }

  default_arguments = merge(local.platform_arguments, local.lake_arguments, local.lineage_arguments, local.domain_arguments[each.key])
}

# ---- the pipeline ------------------------------------------------------------------------
resource "aws_glue_workflow" "pipeline" {
  name                = "${var.name}-pipeline"
  description         = "each domain's bronze_to_silver, then silver_to_gold, each job once those it waits for succeeded"
  max_concurrent_runs = 1
}

# The jobs that wait for none start together on the schedule.
resource "aws_glue_trigger" "start" {
  name          = "${var.name}-start"
  type          = "SCHEDULED"
  schedule      = var.pipeline_schedule
  workflow_name = aws_glue_workflow.pipeline.name

  dynamic "actions" {
    for_each = sort([for name, job in var.jobs : name if length(job.after) == 0])
    content {
      job_name = aws_glue_job.this[actions.value].name
    }
  }
}

resource "aws_glue_trigger" "after" {
  for_each      = { for name, job in var.jobs : name => job if length(job.after) > 0 }
  name          = "${var.name}-${each.key}-start"
  type          = "CONDITIONAL"
  workflow_name = aws_glue_workflow.pipeline.name

  predicate {
    logical = "AND" # every job it waits for
    dynamic "conditions" {
      for_each = each.value.after
      content {
        job_name = aws_glue_job.this[conditions.value].name
        state    = "SUCCEEDED"
      }
    }
  }

  actions {
    job_name = aws_glue_job.this[each.key].name
  }
}
