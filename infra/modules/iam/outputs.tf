output "job_role_arns" {
  description = "Each domain's producer role, which its Glue jobs run as."
  value       = { for domain in var.domains : domain => aws_iam_role.this["${domain}-producer"].arn }
}

output "crawler_role_arn" {
  description = "Role the bronze crawlers run as."
  value       = aws_iam_role.this["glue-crawler"].arn
}

output "analyst_role_arn" {
  description = "Role analysts assume to query gold through Athena."
  value       = aws_iam_role.this["analyst"].arn
}
