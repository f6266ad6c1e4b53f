variable "region" {
  description = "AWS region to deploy the lake to."
  type        = string
}

variable "account_id" {
  description = "The AWS account the lake is deployed to (Terraform refuses any other); ARNs in the policies are built from it."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id is the 12-digit AWS account id."
  }
}

variable "project" {
  description = "Short project name, used as a prefix of every resource name."
  type        = string
  default     = "sdl"
}

variable "environment" {
  description = "Deployment environment (dev, prod, ...), part of every resource name."
  type        = string
}

variable "bucket_names" {
  description = "Globally unique S3 bucket names, one per purpose: bronze, silver, gold, logs, artifacts, athena_results."
  type = object({
    bronze         = string
    silver         = string
    gold           = string
    logs           = string
    artifacts      = string
    athena_results = string
  })
}

variable "domains" {
  description = "The lake's domains; each has one Glue database per layer, named <domain>_<layer>."
  type        = list(string)
  default     = ["sales", "customer", "product"]
}

variable "layers" {
  description = "The catalog layers each domain has a database for."
  type        = list(string)
  default     = ["bronze", "silver", "quarantine", "gold", "ops"]
}

variable "crawler_schedule" {
  description = "When the bronze crawlers run (Glue cron expression, UTC)."
  type        = string
  default     = "cron(15 1 * * ? *)"
}

variable "pipeline_schedule" {
  description = "When the first job of the pipeline starts (Glue cron expression, UTC); the others follow on success."
  type        = string
  default     = "cron(0 2 * * ? *)"
}

variable "pii_domains" {
  description = "The domains whose jobs hash PII (their bronze contracts have restricted columns): only their roles read the PII hash key."
  type        = list(string)
  default     = ["customer"]
}

variable "job_sizes" {
  description = "Worker type, worker count and timeout (minutes) per job script (every domain's job running it)."
  type = map(object({
    worker_type       = string
    number_of_workers = number
    timeout_minutes   = number
  }))
  default = {
    bronze_to_silver = { worker_type = "G.1X", number_of_workers = 2, timeout_minutes = 60 }
    silver_to_gold   = { worker_type = "G.1X", number_of_workers = 2, timeout_minutes = 60 }
  }
}

variable "wheel_path" {
  description = "The wheel built by `make package`, uploaded and installed by every job through --additional-python-modules."
  type        = string
  default     = "../dist/sales_data_lake-0.1.0-py3-none-any.whl"
}

variable "python_modules" {
  description = "Libraries the jobs need that Glue 6.0 does not ship (pandas, pyarrow, boto3 it does), pinned as in requirements.txt."
  type        = list(string)
  default     = ["great-expectations==1.24.1", "fastavro==1.13.1", "cramjam==2.14.0", "backports.zstd==1.8.0", "PyYAML==6.0.4", "openlineage-python==1.54.0"]
}

variable "lineage_url" {
  description = "An OpenLineage endpoint (e.g. Marquez, http://host:5000) the jobs send each run's lineage events to (--lineage_url); empty sends none."
  type        = string
  default     = ""
}

variable "manage_catalog_encryption" {
  description = "Encrypt the whole account's Glue Data Catalog with the lake's key. It is one setting per account and region: turn it on only where this lake owns the catalog."
  type        = bool
  default     = false
}

variable "quality_mode" {
  description = "enforce: a failed critical expectation fails the job; warn: it is only reported."
  type        = string
  default     = "enforce"

  validation {
    condition     = contains(["enforce", "warn"], var.quality_mode)
    error_message = "quality_mode must be enforce or warn."
  }
}

variable "log_retention_days" {
  description = "How long job and crawler logs are kept."
  type        = number
  default     = 365
}

variable "alarm_email" {
  description = "Where alerts go (an SNS email subscription); empty for none."
  type        = string
  default     = ""
}

variable "job_duration_alarm_minutes" {
  description = "Alarm when a job run takes longer than this."
  type        = number
  default     = 45
}

variable "quarantine_share_alarm_percent" {
  description = "Alarm when a landed source loses more than this percent of a run's records to quarantine."
  type        = number
  default     = 20
}

variable "freshness_alarm_hours" {
  description = "Alarm when a job has not committed a run for this long."
  type        = number
  default     = 26
}

variable "bucket_size_alarm_bytes" {
  description = "Alarm when a layer's bucket grows beyond this many bytes."
  type        = map(number)
  default = {
    bronze = 500000000000
    silver = 250000000000
    gold   = 50000000000
  }
}

variable "athena_bytes_scanned_cutoff" {
  description = "The most bytes one Athena query in the analysts' workgroup may scan."
  type        = number
  default     = 10737418240
}

variable "analyst_principals" {
  description = "IAM principal ARNs allowed to assume the analyst role."
  type        = list(string)
  default     = []
}

variable "monthly_budget_usd" {
  description = "Each domain's monthly AWS budget in USD (the resources tagged with its domain)."
  type        = map(number)
  default = {
    sales    = 100
    customer = 50
    product  = 50
  }
}

variable "budget_alert_percent" {
  description = "Tell a domain's owners when its actual or forecast monthly spend passes this percent of its budget."
  type        = number
  default     = 80
}
