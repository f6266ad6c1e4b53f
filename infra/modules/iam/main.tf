# Least privilege, and access follows ownership: each domain's jobs run as the domain's
# producer role, which writes only the domain's own prefixes, databases and quarantine and reads
# another domain's products only where that product's data contract grants the role read
# (its `roles`); analysts read what the contracts grant `analyst` (the gold products). One role
# for the crawlers. Every statement names its actions (no wildcard) and the project's own
# resources.

locals {
  catalog_arn = "arn:aws:glue:${var.region}:${var.account_id}:catalog"
  # The crawlers' databases: each domain's bronze.
  bronze_databases = [for domain in var.domains : "arn:aws:glue:${var.region}:${var.account_id}:database/${domain}_bronze"]
  bronze_tables    = [for domain in var.domains : "arn:aws:glue:${var.region}:${var.account_id}:table/${domain}_bronze/*"]
  read_objects     = ["s3:GetObject", "s3:GetObjectVersion"]
  write_objects    = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"]
  list_bucket      = ["s3:ListBucket", "s3:GetBucketLocation"]
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
  # The job state a run writes, under state/<kind>/<its job>/ (jobs <domain>_<script>).
  state_kinds = ["runs", "bookmarks", "changes", "quality"]
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

# ---- the data contracts: who may read which product --------------------------------------
locals {
  contracts = [for f in fileset(var.contracts_dir, "**/*.odcs.yaml") : yamldecode(file("${var.contracts_dir}/${f}"))]
  # Where a layer's tables live (the jobs' --silver_uri, --quarantine_uri, --gold_uri).
  layer_objects = {
    silver     = "${var.bucket_arns.silver}/silver"
    quarantine = "${var.bucket_arns.silver}/quarantine"
    gold       = var.bucket_arns.gold
    ops        = "${var.bucket_arns.artifacts}/ops"
  }
  # Every `access: read` role of every contract, with the product it grants.
  read_grants = flatten([
    for contract in local.contracts : [
      for role in try(contract.roles, []) : {
        role   = role.role
        domain = contract.domain
        layer  = one([for p in contract.customProperties : p.value if p.property == "layer"])
        table  = contract.schema[0].name
      } if role.access == "read"
    ]
  ])
  grants_of = {
    for role in distinct([for g in local.read_grants : g.role]) : role => [for g in local.read_grants : g if g.role == role]
  }
  # A granted product's objects, catalog database and table.
  granted_objects = { for role, grants in local.grants_of : role => [for g in grants : "${local.layer_objects[g.layer]}/${g.domain}/${g.table}/*"] }
  granted_catalog = {
    for role, grants in local.grants_of : role => distinct(flatten([
      for g in grants : [
        "arn:aws:glue:${var.region}:${var.account_id}:database/${g.domain}_${g.layer}",
        "arn:aws:glue:${var.region}:${var.account_id}:table/${g.domain}_${g.layer}/${g.table}",
      ]
    ]))
  }
  # A silver product's changes (what its job's runs changed) are read with it, by the jobs
  # downstream.
  granted_changes = {
    for role, grants in local.grants_of : role => distinct([
      for g in grants : "${var.bucket_arns.artifacts}/state/changes/${g.domain}_bronze_to_silver/*" if g.layer == "silver"
    ])
  }
}

# ---- each domain's producer role: its Glue jobs -------------------------------------------
data "aws_iam_policy_document" "producer" {
  for_each = toset(var.domains)

  statement {
    sid       = "ListLakeBuckets"
    actions   = local.list_bucket
    resources = [for purpose in ["bronze", "silver", "gold", "artifacts"] : var.bucket_arns[purpose]]
  }
  statement {
    sid       = "ReadOwnBronzeAndTheJobs"
    actions   = local.read_objects
    resources = ["${var.bucket_arns.bronze}/${each.key}/*", "${var.bucket_arns.artifacts}/jobs/*", "${var.bucket_arns.artifacts}/wheels/*"]
  }
  statement {
    sid     = "WriteOwnProductsQuarantineAndState"
    actions = local.write_objects
    resources = concat(
      [for layer, prefix in local.layer_objects : "${prefix}/${each.key}/*"],
      [for kind in local.state_kinds : "${var.bucket_arns.artifacts}/state/${kind}/${each.key}_*"],
      ["${var.bucket_arns.artifacts}/state/glue-temp/${each.key}/*"],
    )
  }
  statement {
    sid     = "OwnCatalogDatabases"
    actions = local.write_catalog
    resources = concat([local.catalog_arn], flatten([
      for layer in ["silver", "quarantine", "gold", "ops"] : [
        "arn:aws:glue:${var.region}:${var.account_id}:database/${each.key}_${layer}",
        "arn:aws:glue:${var.region}:${var.account_id}:table/${each.key}_${layer}/*",
      ]
    ]))
  }
  statement {
    # With --enable-glue-datacatalog, the catalog client gets (and creates when absent) the
    # `default` database as the job starts.
    sid       = "DefaultDatabaseAtStart"
    actions   = ["glue:GetDatabase", "glue:CreateDatabase"]
    resources = [local.catalog_arn, "arn:aws:glue:${var.region}:${var.account_id}:database/default"]
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

# What a role may read of the products the contracts grant it (with those products' changes and
# catalog entries): a policy of its own, attached only to the roles granted something.
data "aws_iam_policy_document" "granted_reads" {
  for_each = local.grants_of

  statement {
    sid       = "ReadGrantedProducts"
    actions   = local.read_objects
    resources = concat(local.granted_objects[each.key], local.granted_changes[each.key])
  }
  statement {
    sid       = "GrantedProductsCatalog"
    actions   = local.read_catalog
    resources = concat([local.catalog_arn], local.granted_catalog[each.key])
  }
}

# The PII hash key: attached only to the producer roles of the domains that hash PII.
data "aws_iam_policy_document" "pii_hash_key" {
  statement {
    sid       = "PiiHashKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.pii_key_secret_arn]
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
    resources = concat([local.catalog_arn], local.bronze_databases, local.bronze_tables)
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
    sid       = "QueryResults"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${var.bucket_arns.athena_results}/*"]
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

# ---- the roles and their inline policies ---------------------------------------------------
locals {
  trust = {
    glue    = data.aws_iam_policy_document.glue_assume.json
    analyst = data.aws_iam_policy_document.analyst_assume.json
  }
  roles = merge(
    { for domain in var.domains : "${domain}-producer" => local.trust.glue },
    { glue-crawler = local.trust.glue, analyst = local.trust.analyst },
  )
  # <role>/<policy>: each role's own policy, the reads the contracts grant it, the PII key.
  role_policies = merge(
    { for domain in var.domains : "${domain}-producer/access" => data.aws_iam_policy_document.producer[domain].json },
    { "glue-crawler/access" = data.aws_iam_policy_document.crawler.json, "analyst/access" = data.aws_iam_policy_document.analyst.json },
    { for role, _ in local.grants_of : "${role}/granted-reads" => data.aws_iam_policy_document.granted_reads[role].json },
    { for domain in var.pii_domains : "${domain}-producer/pii-hash-key" => data.aws_iam_policy_document.pii_hash_key.json },
  )
}

resource "aws_iam_role" "this" {
  for_each           = local.roles
  name               = "${var.name}-${each.key}"
  assume_role_policy = each.value
}

resource "aws_iam_role_policy" "this" {
  for_each = toset(keys(local.role_policies))
  name     = split("/", each.key)[1]
  role     = aws_iam_role.this[split("/", each.key)[0]].id
  policy   = local.role_policies[each.key]
}
