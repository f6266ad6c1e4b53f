variable "name" {
  description = "Name of the key and its alias (alias/<name>)."
  type        = string
}

variable "account_id" {
  description = "The AWS account that owns and administers the key."
  type        = string
}

variable "region" {
  description = "Region of the CloudWatch Logs service allowed to use the key."
  type        = string
}
