# Logs (KMS-encrypted, kept for a set time), an encrypted alert topic, alarms on what can go
# wrong in the lake, and a dashboard.

# The groups Glue 6.0 writes to: the jobs' output (the lake's own log lines) and error
# (Glue's and Spark's), under the jobs' --custom-logGroup-prefix; the crawlers' group.
locals {
  log_groups = {
    job_output = "${var.job_log_group_prefix}/output"
    job_error  = "${var.job_log_group_prefix}/error"
    crawlers   = var.crawler_log_group
  }
  log_group_arns = { for purpose, name in local.log_groups : purpose => "arn:aws:logs:${var.region}:${var.account_id}:log-group:${name}" }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each          = local.log_groups
  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# The lake's alert topic, and one per domain (its owners subscribed; its alarms go to both).
locals {
  topics = merge({ lake = "${var.name}-alerts" }, { for domain in var.domains : domain => "${var.name}-${domain}-alerts" })
}

resource "aws_sns_topic" "alerts" {
  for_each          = local.topics
  name              = each.value
  kms_master_key_id = var.kms_key_arn
  tags              = { domain = each.key == "lake" ? "shared" : each.key }
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alerts["lake"].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

data "aws_iam_policy_document" "alerts" {
  for_each = local.topics
  statement {
    sid       = "AlarmsEventsAndBudgetsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts[each.key].arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "budgets.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  for_each = local.topics
  arn      = aws_sns_topic.alerts[each.key].arn
  policy   = data.aws_iam_policy_document.alerts[each.key].json
}

# ---- failures: Glue reports job and crawler state changes as events -----------------------
resource "aws_cloudwatch_event_rule" "job_failed" {
  name        = "${var.name}-job-failed"
  description = "A lake job failed, timed out or stopped"
  event_pattern = jsonencode({
    source      = ["aws.glue"]
    detail-type = ["Glue Job State Change"]
    detail      = { jobName = values(var.job_names), state = ["FAILED", "TIMEOUT", "STOPPED"] }
  })
}

resource "aws_cloudwatch_event_rule" "crawler_failed" {
  name        = "${var.name}-crawler-failed"
  description = "A bronze crawler failed"
  event_pattern = jsonencode({
    source      = ["aws.glue"]
    detail-type = ["Glue Crawler State Change"]
    detail      = { crawlerName = values(var.crawler_names), state = ["Failed"] }
  })
}

resource "aws_cloudwatch_event_target" "alerts" {
  for_each = {
    job     = aws_cloudwatch_event_rule.job_failed.name
    crawler = aws_cloudwatch_event_rule.crawler_failed.name
  }
  rule = each.value
  arn  = aws_sns_topic.alerts["lake"].arn
}

# ---- each domain's owner hears of its own data ---------------------------------------------
# The owners come from the data contracts (team members with role owner); a domain's alarms go
# to its topic and to the lake's.
locals {
  contracts = [for f in fileset(var.contracts_dir, "**/*.odcs.yaml") : yamldecode(file("${var.contracts_dir}/${f}"))]
  owners = {
    for domain in var.domains : domain => distinct(flatten([
      for c in local.contracts : [for m in c.team.members : m.username if m.role == "owner"] if c.domain == domain
    ]))
  }
  # The landed sources (the bronze contracts), each watched for the share it loses to quarantine.
  sources = {
    for c in local.contracts : "${c.domain}.${c.schema[0].name}" => { domain = c.domain, dataset = c.schema[0].name }
    if one([for p in c.customProperties : p.value if p.property == "layer"]) == "bronze"
  }
}

resource "aws_sns_topic_subscription" "owner" {
  for_each  = { for pair in flatten([for d, emails in local.owners : [for e in emails : { domain = d, email = e }]]) : "${pair.domain}/${pair.email}" => pair }
  topic_arn = aws_sns_topic.alerts[each.value.domain].arn
  protocol  = "email"
  endpoint  = each.value.email
}

# ---- quality, service levels, quarantine, runs: from the metrics the jobs send ---------------
locals {
  # What is watched for every job, on its run's dimensions.
  run_alarms = {
    quality-gate-failed = {
      metric     = "QualitySuitesFailed", statistic = "Sum", period = 300, periods = 1, threshold = 0
      comparison = "GreaterThanThreshold", missing = "notBreaching"
      says       = "a critical expectation failed: the job stopped before publishing (see its quality results)"
    }
    sla-breached = {
      metric     = "SlaBreaches", statistic = "Sum", period = 300, periods = 1, threshold = 0
      comparison = "GreaterThanThreshold", missing = "notBreaching"
      says       = "a data product it publishes missed a service level its contract promises (the run record says which)"
    }
    # No committed run in the window: its products go stale (missing data is a breach).
    no-run = {
      metric     = "RunsCommitted", statistic = "Sum", period = 3600, periods = var.freshness_alarm_hours, threshold = 1
      comparison = "LessThanThreshold", missing = "breaching"
      says       = "no run committed in ${var.freshness_alarm_hours} hours"
    }
  }
  alarms = merge(
    {
      for pair in setproduct(keys(var.jobs), keys(local.run_alarms)) : "${pair[0]}-${pair[1]}" => merge(local.run_alarms[pair[1]], {
        subject = pair[0], domain = var.jobs[pair[0]].domain, dimensions = { Job = pair[0], Domain = var.jobs[pair[0]].domain }
      })
    },
    {
      for key, source in local.sources : "${key}-quarantine-share" => {
        metric    = "QuarantineShare", statistic = "Maximum", period = 3600, periods = 1
        threshold = var.quarantine_share_alarm_percent, comparison = "GreaterThanThreshold", missing = "notBreaching"
        says      = "more than ${var.quarantine_share_alarm_percent}% of a run's records were rejected to quarantine"
        subject   = key, domain = source.domain, dimensions = { Domain = source.domain, Dataset = source.dataset }
      }
    },
  )
}

resource "aws_cloudwatch_metric_alarm" "lake" {
  for_each            = local.alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "${each.value.subject}: ${each.value.says}."
  namespace           = var.metric_namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.alerts["lake"].arn, aws_sns_topic.alerts[each.value.domain].arn]
}

resource "aws_cloudwatch_metric_alarm" "job_duration" {
  for_each            = var.job_names
  alarm_name          = "${var.name}-${each.key}-slow"
  alarm_description   = "${each.value} ran longer than ${var.job_duration_alarm_minutes} minutes."
  namespace           = "Glue"
  metric_name         = "glue.driver.aggregate.elapsedTime"
  dimensions          = { JobName = each.value, JobRunId = "ALL", Type = "count" }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.job_duration_alarm_minutes * 60 * 1000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts["lake"].arn]
}

# A bucket's size in every storage class its lifecycle rules move objects to.
locals {
  storage_types = ["StandardStorage", "StandardIAStorage", "GlacierInstantRetrievalStorage"]
}

resource "aws_cloudwatch_metric_alarm" "bucket_size" {
  for_each            = var.bucket_size_alarm_bytes
  alarm_name          = "${var.name}-${each.key}-bucket-size"
  alarm_description   = "The ${each.key} bucket holds more than ${each.value} bytes (all storage classes)."
  evaluation_periods  = 1
  threshold           = each.value
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts["lake"].arn]

  metric_query {
    id          = "total"
    expression  = "SUM(METRICS())"
    label       = "bytes in all storage classes"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.storage_types
    content {
      id = "m${metric_query.key}"
      metric {
        namespace   = "AWS/S3"
        metric_name = "BucketSizeBytes"
        dimensions  = { BucketName = var.bucket_ids[each.key], StorageType = metric_query.value }
        stat        = "Average"
        period      = 86400
      }
    }
  }
}

resource "aws_cloudwatch_dashboard" "lake" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "Job run time (ms)"
          region  = var.region
          metrics = [for job in values(var.job_names) : ["Glue", "glue.driver.aggregate.elapsedTime", "JobName", job, "JobRunId", "ALL", "Type", "count"]]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title   = "Bucket size per layer (bytes)"
          region  = var.region
          period  = 86400
          metrics = [for layer in keys(var.bucket_size_alarm_bytes) : ["AWS/S3", "BucketSizeBytes", "BucketName", var.bucket_ids[layer], "StorageType", "StandardStorage"]]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "Failed quality suites, SLA breaches and committed runs per job"
          region = var.region
          stat   = "Sum"
          # One [namespace, metric, dimension, value, ...] array per line (flatten would make one long array).
          metrics = [for pair in setproduct(keys(var.jobs), ["QualitySuitesFailed", "SlaBreaches", "RunsCommitted"]) : [var.metric_namespace, pair[1], "Job", pair[0], "Domain", var.jobs[pair[0]].domain]]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title   = "Estimated cost per job (USD a day, at each job's size)"
          region  = var.region
          stat    = "Sum"
          period  = 86400
          metrics = [for key, job in var.jobs : [var.metric_namespace, "EstimatedCost", "Job", key, "Domain", job.domain]]
        }
      },
    ]
  })
}
