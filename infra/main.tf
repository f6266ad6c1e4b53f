# The Sales Data Lake on AWS: the same job scripts as `make run-local`, on Glue 6.0.
locals {
  name       = "${var.project}-${var.environment}"
  account_id = var.account_id
  # Where Glue 6.0 writes logs: a job's stdout/stderr (the lake's log lines) under
  # <prefix>/output, Glue's own under <prefix>/error (--custom-logGroup-prefix); a crawler with
  # a security configuration that encrypts logs, under /aws-glue/crawlers-role/<role>-<config>.
  job_log_group_prefix = "/aws-glue/${local.name}/jobs"
  crawler_log_group    = "/aws-glue/crawlers-role/${local.name}-glue-crawler-${local.name}"

  # Every domain's two jobs, each after the jobs that publish what it reads (jobs/pipeline.py;
  # tests/unit/test_infra.py keeps the two equal). A job is named <domain>_<script>, as its
  # runs name themselves in their state paths, log lines and metrics.
  jobs = {
    customer_bronze_to_silver = { script = "bronze_to_silver.py", domain = "customer", after = [] }
    product_bronze_to_silver  = { script = "bronze_to_silver.py", domain = "product", after = [] }
    sales_bronze_to_silver    = { script = "bronze_to_silver.py", domain = "sales", after = ["customer_bronze_to_silver", "product_bronze_to_silver"] }
    sales_silver_to_gold      = { script = "silver_to_gold.py", domain = "sales", after = ["sales_bronze_to_silver"] }
    product_silver_to_gold    = { script = "silver_to_gold.py", domain = "product", after = ["product_bronze_to_silver", "sales_bronze_to_silver"] }
    customer_silver_to_gold   = { script = "silver_to_gold.py", domain = "customer", after = ["customer_bronze_to_silver", "sales_bronze_to_silver"] }
  }
}

module "kms" {
  source     = "./modules/kms"
  name       = local.name
  account_id = local.account_id
  region     = var.region
}

module "s3" {
  source       = "./modules/s3"
  bucket_names = var.bucket_names
  kms_key_arn  = module.kms.key_arn
  account_id   = local.account_id
}

module "cloudwatch" {
  source                         = "./modules/cloudwatch"
  name                           = local.name
  account_id                     = local.account_id
  region                         = var.region
  kms_key_arn                    = module.kms.key_arn
  job_log_group_prefix           = local.job_log_group_prefix
  crawler_log_group              = local.crawler_log_group
  log_retention_days             = var.log_retention_days
  alarm_email                    = var.alarm_email
  domains                        = var.domains
  jobs                           = local.jobs
  contracts_dir                  = "${path.root}/../transforms/contracts"
  quarantine_share_alarm_percent = var.quarantine_share_alarm_percent
  job_names                      = module.glue.job_names
  crawler_names                  = module.glue.crawler_names
  bucket_ids                     = module.s3.bucket_ids
  bucket_size_alarm_bytes        = var.bucket_size_alarm_bytes
  job_duration_alarm_minutes     = var.job_duration_alarm_minutes
  freshness_alarm_hours          = var.freshness_alarm_hours
}

module "athena" {
  source               = "./modules/athena"
  name                 = local.name
  results_bucket       = module.s3.bucket_ids["athena_results"]
  kms_key_arn          = module.kms.key_arn
  bytes_scanned_cutoff = var.athena_bytes_scanned_cutoff
  queries_dir          = "${path.root}/queries"
  database             = "sales_gold"
}

module "iam" {
  source                = "./modules/iam"
  name                  = local.name
  account_id            = local.account_id
  region                = var.region
  domains               = var.domains
  bucket_arns           = module.s3.bucket_arns
  kms_key_arn           = module.kms.key_arn
  job_log_group_arns    = module.cloudwatch.job_log_group_arns
  crawler_log_group_arn = module.cloudwatch.crawler_log_group_arn
  pii_key_secret_arn    = module.kms.pii_key_secret_arn
  athena_workgroup_arn  = module.athena.workgroup_arn
  analyst_principals    = var.analyst_principals
  contracts_dir         = "${path.root}/../transforms/contracts"
  pii_domains           = var.pii_domains
}

module "glue" {
  source                    = "./modules/glue"
  jobs                      = local.jobs
  name                      = local.name
  domains                   = var.domains
  layers                    = var.layers
  bucket_ids                = module.s3.bucket_ids
  kms_key_arn               = module.kms.key_arn
  job_role_arns             = module.iam.job_role_arns
  pii_domains               = var.pii_domains
  crawler_role_arn          = module.iam.crawler_role_arn
  job_log_group_prefix      = local.job_log_group_prefix
  crawler_schedule          = var.crawler_schedule
  pipeline_schedule         = var.pipeline_schedule
  job_sizes                 = var.job_sizes
  jobs_dir                  = "${path.root}/../jobs"
  wheel_path                = var.wheel_path
  python_modules            = var.python_modules
  quality_mode              = var.quality_mode
  pii_key_secret_arn        = module.kms.pii_key_secret_arn
  manage_catalog_encryption = var.manage_catalog_encryption
  lineage_url               = var.lineage_url
}

module "cost" {
  source             = "./modules/cost"
  name               = local.name
  domains            = var.domains
  monthly_budget_usd = var.monthly_budget_usd
  alert_at_percent   = var.budget_alert_percent
  alert_topic_arns   = module.cloudwatch.domain_alert_topic_arns
}
