# The lake's buckets, each secure by default: SSE-KMS with a bucket key, versioning, public
# access blocked, ACLs disabled, TLS-only, access logs to the logs bucket, lifecycle rules.

locals {
  # Bronze keeps raw files for years, rarely read after the first days: cheaper classes.
  cold_after_days = { bronze = { STANDARD_IA = 30, GLACIER_IR = 90 } }
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Cross-region replication is a disaster-recovery choice per deployment; versioning and the raw bronze files allow a rebuild
  #checkov:skip=CKV2_AWS_62:No consumer of S3 event notifications; jobs run on schedules and triggers
  for_each = var.bucket_names
  bucket   = each.value
  tags     = { layer = each.key } # cost allocation: what the bucket holds
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced" # ACLs disabled
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = aws_s3_bucket.this
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-KMS with the lake's key, except the logs bucket: S3 delivers server access logs only
# to a target bucket encrypted with SSE-S3.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  #checkov:skip=CKV2_AWS_67:The logs bucket must use SSE-S3 for access-log delivery; every other bucket uses the lake's KMS key
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = each.key == "logs" ? "AES256" : "aws:kms"
      kms_master_key_id = each.key == "logs" ? null : var.kms_key_arn
    }
    bucket_key_enabled = each.key != "logs"
  }
}

data "aws_iam_policy_document" "tls_only" {
  for_each = aws_s3_bucket.this

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      each.value.arn,
      "${each.value.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "logs" ? [1] : []
    content {
      sid       = "S3ServerAccessLogsDelivery"
      actions   = ["s3:PutObject"]
      resources = ["${each.value.arn}/access-logs/*"]
      principals {
        type        = "Service"
        identifiers = ["logging.s3.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [var.account_id]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "tls_only" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  policy   = data.aws_iam_policy_document.tls_only[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_logging" "this" {
  # The logs bucket does not log its own access: each log write would be logged again.
  for_each      = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket if purpose != "logs" }
  bucket        = each.value.id
  target_bucket = aws_s3_bucket.this["logs"].id
  target_prefix = "access-logs/${each.key}/"
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
  }

  dynamic "rule" {
    for_each = contains(keys(local.cold_after_days), each.key) ? [local.cold_after_days[each.key]] : []
    content {
      id     = "colder-storage-with-age"
      status = "Enabled"
      filter {}
      dynamic "transition" {
        for_each = rule.value
        content {
          storage_class = transition.key
          days          = transition.value
        }
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}
