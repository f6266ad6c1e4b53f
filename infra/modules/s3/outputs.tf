output "bucket_arns" {
  description = "Bucket ARN per purpose."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.arn }
}

output "bucket_ids" {
  description = "Bucket name per purpose."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.id }
}
