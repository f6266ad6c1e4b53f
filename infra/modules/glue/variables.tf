variable "name" {
  description = "Prefix of the Glue resource names."
  type        = string
}

variable "jobs" {
  description = "Each job by its key (<domain>_<script>): its script, its domain, and the jobs whose success starts it."
  type        = map(object({ script = string, domain = string, after = list(string) }))
}

variable "domains" {
  description = "The lake's domains."
  type        = list(string)
}

variable "layers" {
  description = "The layers each domain has a database for (<domain>_<layer>)."
  type        = list(string)
}

variable "bucket_ids" {
  description = "Bucket name per purpose: bronze, silver, gold, artifacts, ..."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "The lake's KMS key (catalog, job output, logs, bookmarks)."
  type        = string
}

variable "job_role_arns" {
  description = "Role each domain's jobs run as (its producer role), by domain."
  type        = map(string)
}

variable "pii_domains" {
  description = "The domains whose jobs hash PII and so get the PII hash key's secret."
  type        = list(string)
}

variable "crawler_role_arn" {
  description = "Role the crawlers run as."
  type        = string
}

variable "job_log_group_prefix" {
  description = "The jobs' --custom-logGroup-prefix: Glue 6.0 writes to <prefix>/output and <prefix>/error."
  type        = string
}

variable "crawler_schedule" {
  description = "When the crawlers run (Glue cron expression)."
  type        = string
}

variable "pipeline_schedule" {
  description = "When the pipeline starts (Glue cron expression)."
  type        = string
}

variable "job_sizes" {
  description = "Worker type, worker count and timeout (minutes) per job script (every domain's runs of it)."
  type = map(object({
    worker_type       = string
    number_of_workers = number
    timeout_minutes   = number
  }))
}

variable "jobs_dir" {
  description = "The repository's jobs/ folder, whose scripts are uploaded."
  type        = string
}

variable "wheel_path" {
  description = "The wheel from `make package`."
  type        = string
}

variable "quality_mode" {
  description = "enforce or warn."
  type        = string
}

variable "pii_key_secret_arn" {
  description = "The Secrets Manager secret holding the PII hash key (--pii_hash_key_secret)."
  type        = string
}

variable "lineage_url" {
  description = "OpenLineage endpoint for the jobs' run events (--lineage_url), or empty for none."
  type        = string
}

variable "manage_catalog_encryption" {
  description = "Encrypt the account's Glue Data Catalog with the lake's key (an account-wide setting)."
  type        = bool
}

variable "python_modules" {
  description = "Libraries the lake needs that Glue 6.0 does not ship, pinned (--additional-python-modules)."
  type        = list(string)
}
