variable "name" {
  description = "Prefix of the monitoring resource names."
  type        = string
}

variable "account_id" {
  description = "The account whose services may publish alerts."
  type        = string
}

variable "region" {
  description = "Region of the dashboard's metrics."
  type        = string
}

variable "kms_key_arn" {
  description = "Key for the log groups and the alert topic."
  type        = string
}

variable "job_log_group_prefix" {
  description = "The jobs' --custom-logGroup-prefix: Glue writes to <prefix>/output and <prefix>/error."
  type        = string
}

variable "crawler_log_group" {
  description = "The log group the crawlers write to (fixed by Glue from the role and security configuration names)."
  type        = string
}

variable "log_retention_days" {
  description = "How long logs are kept."
  type        = number
}

variable "alarm_email" {
  description = "Email subscribed to the alert topic; empty for none."
  type        = string
}

variable "domains" {
  description = "The lake's domains (each has its owners' alert topic)."
  type        = list(string)
}

variable "jobs" {
  description = "Each Glue job by its key (<domain>_<script>, the Job dimension of its metrics), with its domain."
  type        = map(object({ script = string, domain = string, after = list(string) }))
}

variable "contracts_dir" {
  description = "The data contracts (transforms/contracts): domain owners and the landed sources."
  type        = string
}

variable "quarantine_share_alarm_percent" {
  description = "Alarm when a source loses more than this percent of a run's records to quarantine."
  type        = number
}

variable "job_names" {
  description = "Glue job name per job script."
  type        = map(string)
}

variable "crawler_names" {
  description = "Bronze crawler name per domain."
  type        = map(string)
}

variable "bucket_ids" {
  description = "Bucket name per purpose."
  type        = map(string)
}

variable "bucket_size_alarm_bytes" {
  description = "Size alarm threshold per layer bucket."
  type        = map(number)
}

variable "job_duration_alarm_minutes" {
  description = "Alarm when a job run takes longer."
  type        = number
}

variable "freshness_alarm_hours" {
  description = "Alarm when a job has not committed a run for this long."
  type        = number
}

variable "metric_namespace" {
  description = "Namespace of the lake's own metrics."
  type        = string
  default     = "SalesDataLake"
}
