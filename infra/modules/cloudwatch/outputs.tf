output "job_log_group_name" {
  description = "Log group of the jobs."
  value       = aws_cloudwatch_log_group.jobs.name
}

output "job_log_group_arn" {
  description = "ARN of the jobs' log group."
  value       = aws_cloudwatch_log_group.jobs.arn
}

output "crawler_log_group_arn" {
  description = "ARN of the crawlers' log group."
  value       = aws_cloudwatch_log_group.crawlers.arn
}

output "alert_topic_arn" {
  description = "SNS topic the alarms publish to."
  value       = aws_sns_topic.alerts.arn
}
