variable "bucket_names" {
  description = "Bucket name per purpose; must include `logs`, which receives the others' access logs."
  type        = map(string)

  validation {
    condition     = contains(keys(var.bucket_names), "logs")
    error_message = "bucket_names needs a logs bucket for the access logs."
  }
}

variable "kms_key_arn" {
  description = "KMS key every bucket encrypts with (SSE-KMS, bucket key on)."
  type        = string
}

variable "account_id" {
  description = "The account whose S3 server access logging may write to the logs bucket."
  type        = string
}

variable "noncurrent_version_days" {
  description = "Days an overwritten or deleted object version is kept."
  type        = number
  default     = 90
}
