# Least privilege: a role for the Glue jobs, one for the crawlers, one for analysts. Every
# statement names its actions (no wildcard) and the project's own resources.

locals {
  catalog_arn = "arn:aws:glue:${var.region}:${var.account_id}:catalog"
  database_arns = {
    for layer in ["bronze", "silver", "quarantine", "gold"] : layer => [
      for domain in var.domains : "arn:aws:glue:${var.region}:${var.account_id}:database/${domain}_${layer}"
    ]
  }
  table_arns = {
    for layer, arns in local.database_arns : layer => [
      for arn in arns : replace("${arn}/*", ":database/", ":table/")
    ]
  }
  read_objects  = ["s3:GetObject", "s3:GetObjectVersion"]
  write_objects = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"]
  list_bucket   = ["s3:ListBucket", "s3:GetBucketLocation"]
  read_catalog = [
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
  ]
  write_catalog = concat(local.read_catalog, [
    "glue:CreateDatabase",
    "glue:CreateTable",
    "glue:UpdateTable",
    "glue:DeleteTable",
    "glue:CreatePartition",
    "glue:BatchCreatePartition",
    "glue:UpdatePartition",
    "glue:DeletePartition",
    "glue:BatchDeletePartition",
  ])
  use_key     = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
  write_logs  = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
  glue_assume = ["sts:AssumeRole"]
}

data "aws_iam_policy_document" "glue_assume" {
  statement {
    actions = local.glue_assume
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
    # No aws:SourceAccount condition: AWS does not document it for Glue's role assumption.
  }
}

# ---- Glue jobs: read bronze, write silver (with quarantine) and gold ---------------------
data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ListLakeBuckets"
    actions   = local.list_bucket
    resources = [for purpose in ["bronze", "silver", "gold", "artifacts"] : var.bucket_arns[purpose]]
  }
  statement {
    sid       = "ReadBronzeAndArtifacts"
    actions   = local.read_objects
    resources = ["${var.bucket_arns.bronze}/*", "${var.bucket_arns.artifacts}/*"]
  }
  statement {
    sid       = "WriteSilverQuarantineGoldAndState"
    actions   = local.write_objects
    resources = ["${var.bucket_arns.silver}/*", "${var.bucket_arns.gold}/*", "${var.bucket_arns.artifacts}/state/*"]
  }
  statement {
    sid       = "OwnCatalogDatabases"
    actions   = local.write_catalog
    resources = concat([local.catalog_arn], flatten([for layer in ["silver", "quarantine", "gold"] : concat(local.database_arns[layer], local.table_arns[layer])]))
  }
  statement {
    # With --enable-glue-datacatalog, the catalog client gets (and creates when absent) the
    # `default` database as the job starts.
    sid       = "DefaultDatabaseAtStart"
    actions   = ["glue:GetDatabase", "glue:CreateDatabase"]
    resources = [local.catalog_arn, "arn:aws:glue:${var.region}:${var.account_id}:database/default"]
  }
  statement {
    sid       = "PiiHashKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.pii_key_secret_arn]
  }
  statement {
    sid       = "OwnLogGroups"
    actions   = local.write_logs
    resources = [for arn in var.job_log_group_arns : "${arn}:*"]
  }
  statement {
    sid       = "LakeKey"
    actions   = local.use_key
    resources = [var.kms_key_arn]
  }
  statement {
    sid       = "JobMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"] # PutMetricData has no resource type; the condition scopes it
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Glue", "SalesDataLake"]
    }
  }
}

# ---- Crawlers: read bronze, write the bronze databases -----------------------------------
data "aws_iam_policy_document" "crawler" {
  statement {
    sid       = "ListBronze"
    actions   = local.list_bucket
    resources = [var.bucket_arns.bronze]
  }
  statement {
    sid       = "ReadBronze"
    actions   = local.read_objects
    resources = ["${var.bucket_arns.bronze}/*"]
  }
  statement {
    sid       = "BronzeDatabases"
    actions   = local.write_catalog
    resources = concat([local.catalog_arn], local.database_arns.bronze, local.table_arns.bronze)
  }
  statement {
    sid       = "OwnLogGroups"
    actions   = local.write_logs
    resources = ["${var.crawler_log_group_arn}:*"]
  }
  statement {
    sid       = "LakeKey"
    actions   = local.use_key
    resources = [var.kms_key_arn]
  }
}

# ---- Analysts: read gold and use the Athena workgroup, nothing else ----------------------
data "aws_iam_policy_document" "analyst_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = length(var.analyst_principals) > 0 ? var.analyst_principals : ["arn:aws:iam::${var.account_id}:root"]
    }
  }
}

data "aws_iam_policy_document" "analyst" {
  statement {
    sid       = "ListGoldAndResults"
    actions   = local.list_bucket
    resources = [var.bucket_arns.gold, var.bucket_arns.athena_results]
  }
  statement {
    sid       = "ReadGold"
    actions   = local.read_objects
    resources = ["${var.bucket_arns.gold}/*"]
  }
  statement {
    sid       = "QueryResults"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${var.bucket_arns.athena_results}/*"]
  }
  statement {
    sid       = "GoldCatalog"
    actions   = local.read_catalog
    resources = concat([local.catalog_arn], local.database_arns.gold, local.table_arns.gold)
  }
  statement {
    sid = "Workgroup"
    actions = [
      "athena:StartQueryExecution",
      "athena:StopQueryExecution",
      "athena:GetQueryExecution",
      "athena:GetQueryResults",
      "athena:GetWorkGroup",
      "athena:ListNamedQueries",
      "athena:GetNamedQuery",
      "athena:BatchGetNamedQuery",
    ]
    resources = [var.athena_workgroup_arn]
  }
  statement {
    sid       = "LakeKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }
}

# ---- the roles, each with its one inline policy -------------------------------------------
locals {
  roles = {
    glue-job = {
      trust  = data.aws_iam_policy_document.glue_assume.json
      policy = data.aws_iam_policy_document.job.json
    }
    glue-crawler = {
      trust  = data.aws_iam_policy_document.glue_assume.json
      policy = data.aws_iam_policy_document.crawler.json
    }
    analyst = {
      trust  = data.aws_iam_policy_document.analyst_assume.json
      policy = data.aws_iam_policy_document.analyst.json
    }
  }
}

resource "aws_iam_role" "this" {
  for_each           = local.roles
  name               = "${var.name}-${each.key}"
  assume_role_policy = each.value.trust
}

resource "aws_iam_role_policy" "this" {
  for_each = local.roles
  name     = "${each.key}-access"
  role     = aws_iam_role.this[each.key].id
  policy   = each.value.policy
}
