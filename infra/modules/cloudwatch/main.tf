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

resource "aws_sns_topic" "alerts" {
  name              = "${var.name}-alerts"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

data "aws_iam_policy_document" "alerts" {
  statement {
    sid       = "AlarmsAndEventsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts.json
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
  arn  = aws_sns_topic.alerts.arn
}

# ---- quality and freshness: from the jobs' own log lines ----------------------------------
resource "aws_cloudwatch_log_metric_filter" "quality_failed" {
  name           = "${var.name}-quality-gate-failed"
  log_group_name = aws_cloudwatch_log_group.this["job_output"].name
  pattern        = "\"quality gate failed\""
  metric_transformation {
    name      = "QualityGateFailures"
    namespace = var.metric_namespace
    value     = "1"
  }
}

# Each domain's gold: its silver_to_gold job's runs name themselves <domain>_silver_to_gold.
resource "aws_cloudwatch_log_metric_filter" "gold_committed" {
  for_each       = toset(var.domains)
  name           = "${var.name}-${each.key}-gold-committed"
  log_group_name = aws_cloudwatch_log_group.this["job_output"].name
  pattern        = "\"[${each.key}_silver_to_gold] run committed\""
  metric_transformation {
    name      = "GoldRunsCommitted-${each.key}"
    namespace = var.metric_namespace
    value     = "1"
  }
}

# One line per missed service level of a contract (jobs/runtime/sla.py).
resource "aws_cloudwatch_log_metric_filter" "sla_breached" {
  name           = "${var.name}-sla-breached"
  log_group_name = aws_cloudwatch_log_group.this["job_output"].name
  pattern        = "\"SLA breach:\""
  metric_transformation {
    name      = "SlaBreaches"
    namespace = var.metric_namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "sla_breached" {
  alarm_name          = "${var.name}-sla-breached"
  alarm_description   = "A data product missed a service level its contract promises (the job's log and run record say which)."
  namespace           = var.metric_namespace
  metric_name         = "SlaBreaches"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "quality_failed" {
  alarm_name          = "${var.name}-quality-gate-failed"
  alarm_description   = "A critical expectation failed: the job stopped before publishing (see its quality results)."
  namespace           = var.metric_namespace
  metric_name         = "QualityGateFailures"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "gold_stale" {
  for_each            = toset(var.domains)
  alarm_name          = "${var.name}-${each.key}-gold-stale"
  alarm_description   = "No ${each.key}_silver_to_gold run committed in ${var.freshness_alarm_hours} hours."
  namespace           = var.metric_namespace
  metric_name         = "GoldRunsCommitted-${each.key}"
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = var.freshness_alarm_hours
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
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
  alarm_actions       = [aws_sns_topic.alerts.arn]
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
  alarm_actions       = [aws_sns_topic.alerts.arn]

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
          title   = "Quality gate failures, SLA breaches and gold publications"
          region  = var.region
          stat    = "Sum"
          metrics = concat([[var.metric_namespace, "QualityGateFailures"], [var.metric_namespace, "SlaBreaches"]], [for domain in var.domains : [var.metric_namespace, "GoldRunsCommitted-${domain}"]])
        }
      },
    ]
  })
}
