output "job_log_group_arns" {
  description = "ARNs of the log groups the jobs write to (output and error)."
  value       = [local.log_group_arns["job_output"], local.log_group_arns["job_error"]]
}

output "crawler_log_group_arn" {
  description = "ARN of the crawlers' log group."
  value       = local.log_group_arns["crawlers"]
}

output "log_group_names" {
  description = "Log group name per purpose (job_output, job_error, crawlers)."
  value       = { for purpose, group in aws_cloudwatch_log_group.this : purpose => group.name }
}

output "alert_topic_arn" {
  description = "SNS topic the alarms publish to."
  value       = aws_sns_topic.alerts["lake"].arn
}

output "domain_alert_topic_arns" {
  description = "Each domain's alert topic (its owners subscribed)."
  value       = { for domain in var.domains : domain => aws_sns_topic.alerts[domain].arn }
}
