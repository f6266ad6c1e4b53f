output "key_arn" {
  description = "ARN of the lake's KMS key."
  value       = aws_kms_key.lake.arn
}

output "key_id" {
  description = "ID of the lake's KMS key."
  value       = aws_kms_key.lake.key_id
}

output "pii_key_secret_arn" {
  description = "The secret holding the PII hash key (--pii_hash_key_secret)."
  value       = aws_secretsmanager_secret.pii_hash_key.arn
}
