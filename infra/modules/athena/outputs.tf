output "workgroup_arn" {
  description = "ARN of the analysts' workgroup."
  value       = aws_athena_workgroup.analysts.arn
}

output "workgroup_name" {
  description = "Name of the analysts' workgroup."
  value       = aws_athena_workgroup.analysts.name
}

output "named_queries" {
  description = "Named query IDs by name."
  value       = { for name, query in aws_athena_named_query.this : name => query.id }
}
