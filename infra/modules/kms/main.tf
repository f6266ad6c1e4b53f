# One customer-managed key for the lake: buckets, Glue (data, logs, bookmarks), catalog,
# logs, alerts, the PII key's secret and Athena results. Rotated yearly.
#
# The account statement lets IAM policies grant the use of the key (as AWS's default key
# policy does): without it, no role's IAM grant has any effect, and every SSE-KMS read and
# write is denied. The roles' own policies then say who may use it for what.
locals {
  use_key = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
  ]
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:A key policy's resource "*" is the key itself; the account administers its own key
  #checkov:skip=CKV_AWS_111:A key policy's resource "*" is the key itself; services are limited to this account
  #checkov:skip=CKV_AWS_356:In a key policy "*" can only mean this key
  statement {
    sid = "AccountAdministersAndIamPoliciesGrantUse"
    actions = concat(local.use_key, [
      "kms:GetKeyPolicy",
      "kms:PutKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:EnableKeyRotation",
      "kms:ListKeyRotations",
      "kms:RotateKeyOnDemand",
      "kms:EnableKey",
      "kms:DisableKey",
      "kms:UpdateKeyDescription",
      "kms:ListResourceTags",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:CreateAlias",
      "kms:UpdateAlias",
      "kms:DeleteAlias",
      "kms:CreateGrant",
      "kms:ListGrants",
      "kms:RevokeGrant",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
    ])
    resources = ["*"] # in a key policy, "*" is this key
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncryptTheLakesLogGroups"
    actions   = local.use_key
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    # CloudWatch Logs names the log group in the encryption context (not aws:SourceAccount).
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:aws:logs:${var.region}:${var.account_id}:log-group:*"]
    }
  }

  statement {
    sid       = "AlertsEncryptForTheLake"
    actions   = local.use_key
    resources = ["*"]
    principals {
      type = "Service"
      identifiers = [
        "sns.amazonaws.com",
        "cloudwatch.amazonaws.com",
        "events.amazonaws.com",
      ]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_kms_key" "lake" {
  description             = "${var.name}: data, logs, bookmarks, catalog and query results"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "lake" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.lake.key_id
}

# The PII hash key lives here, encrypted with the lake's key; only the job role may read it.
# Terraform creates the secret, never its value (which would sit in the state in clear text):
# put it once with `aws secretsmanager put-secret-value --secret-id <pii_key_secret_arn>`.
resource "aws_secretsmanager_secret" "pii_hash_key" {
  #checkov:skip=CKV2_AWS_57:A keyed-hash key cannot rotate without re-hashing all of silver; rotation is a planned migration
  name        = "${var.name}/pii-hash-key"
  description = "${var.name}: key of the keyed hash the jobs apply to emails and phones"
  kms_key_id  = aws_kms_key.lake.arn
}
