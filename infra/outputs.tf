output "bucket_names" {
  description = "Bucket name per purpose."
  value       = module.s3.bucket_ids
}

output "glue_jobs" {
  description = "Glue job name per job (<domain>_<script>)."
  value       = module.glue.job_names
}

output "glue_crawlers" {
  description = "Bronze crawler name per domain."
  value       = module.glue.crawler_names
}

output "glue_databases" {
  description = "Every catalog database (<domain>_<layer>)."
  value       = module.glue.database_names
}

output "pipeline_workflow" {
  description = "The Glue workflow that runs the jobs in order."
  value       = module.glue.workflow_name
}

output "athena_workgroup" {
  description = "The analysts' Athena workgroup."
  value       = module.athena.workgroup_name
}

output "analyst_role_arn" {
  description = "Role analysts assume to query gold."
  value       = module.iam.analyst_role_arn
}

output "alert_topic_arn" {
  description = "SNS topic of the lake's alarms."
  value       = module.cloudwatch.alert_topic_arn
}

output "pii_key_secret_arn" {
  description = "The secret to put the PII hash key into (aws secretsmanager put-secret-value), once."
  value       = module.kms.pii_key_secret_arn
}

output "domain_budgets" {
  description = "Each domain's monthly budget."
  value       = module.cost.budget_names
}
