variable "name" {
  description = "Prefix of the workgroup name."
  type        = string
}

variable "results_bucket" {
  description = "Bucket for query results."
  type        = string
}

variable "kms_key_arn" {
  description = "Key the query results are encrypted with."
  type        = string
}

variable "bytes_scanned_cutoff" {
  description = "The most bytes one query may scan."
  type        = number
}

variable "queries_dir" {
  description = "Folder of .sql files to register as named queries."
  type        = string
}

variable "database" {
  description = "Default database of the named queries."
  type        = string
}
