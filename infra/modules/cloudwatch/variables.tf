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
  description = "The lake's domains (each has its own gold job)."
  type        = list(string)
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
  description = "Alarm when gold was not published for this long."
  type        = number
}

variable "metric_namespace" {
  description = "Namespace of the lake's own metrics."
  type        = string
  default     = "SalesDataLake"
}
