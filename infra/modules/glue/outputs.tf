output "job_names" {
  description = "Glue job name per job (<domain>_<script>)."
  value       = { for name, job in aws_glue_job.this : name => job.name }
}

output "crawler_names" {
  description = "Bronze crawler name per domain."
  value       = { for domain, crawler in aws_glue_crawler.bronze : domain => crawler.name }
}

output "database_names" {
  description = "Every catalog database."
  value       = sort([for database in aws_glue_catalog_database.this : database.name])
}

output "workflow_name" {
  description = "The pipeline's Glue workflow."
  value       = aws_glue_workflow.pipeline.name
}

output "security_configuration_name" {
  description = "The security configuration of the jobs and crawlers (part of the crawlers' log group name)."
  value       = aws_glue_security_configuration.this.name
}
