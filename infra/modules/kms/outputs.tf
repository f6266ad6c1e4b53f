output "key_arn" {
  description = "ARN of the lake's KMS key."
  value       = aws_kms_key.lake.arn
}

output "key_id" {
  description = "ID of the lake's KMS key."
  value       = aws_kms_key.lake.key_id
}
