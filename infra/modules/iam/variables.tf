variable "name" {
  description = "Prefix of the role names."
  type        = string
}

variable "account_id" {
  description = "The account the lake runs in."
  type        = string
}

variable "region" {
  description = "The region of the lake's Glue catalog."
  type        = string
}

variable "domains" {
  description = "The lake's domains (databases are <domain>_<layer>)."
  type        = list(string)
}

variable "bucket_arns" {
  description = "Bucket ARN per purpose: bronze, silver, gold, logs, artifacts, athena_results."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "The lake's KMS key."
  type        = string
}

variable "job_log_group_arns" {
  description = "Log groups the Glue jobs write to."
  type        = list(string)
}

variable "crawler_log_group_arn" {
  description = "Log group the crawlers write to."
  type        = string
}

variable "pii_key_secret_arn" {
  description = "The secret holding the PII hash key, which only the job role may read."
  type        = string
}

variable "athena_workgroup_arn" {
  description = "The analysts' Athena workgroup."
  type        = string
}

variable "analyst_principals" {
  description = "Principals allowed to assume the analyst role (the account root when empty)."
  type        = list(string)
}

variable "contracts_dir" {
  description = "The data contracts (transforms/contracts): their `roles` grant read of each product."
  type        = string
}

variable "pii_domains" {
  description = "The domains whose jobs hash PII: only their producer roles may read the PII hash key."
  type        = list(string)
}
