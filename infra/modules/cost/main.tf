# What each domain spends: its resources carry the cost allocation tags `domain` and `layer`
# (activated here for Cost Explorer and budgets), and a monthly budget per domain, on its tag,
# tells the domain's alert topic when the month's actual or forecast spend passes a share.

resource "aws_ce_cost_allocation_tag" "this" {
  for_each = toset(["domain", "layer"])
  tag_key  = each.key
  status   = "Active"
}

resource "aws_budgets_budget" "domain" {
  for_each     = toset(var.domains)
  name         = "${var.name}-${each.key}"
  budget_type  = "COST"
  limit_amount = tostring(var.monthly_budget_usd[each.key])
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = [format("user:domain$%s", each.key)] # a tag filter is user:<key>$<value>
  }

  dynamic "notification" {
    for_each = { actual = "ACTUAL", forecast = "FORECASTED" }
    content {
      comparison_operator       = "GREATER_THAN"
      threshold                 = var.alert_at_percent
      threshold_type            = "PERCENTAGE"
      notification_type         = notification.value
      subscriber_sns_topic_arns = [var.alert_topic_arns[each.key]]
    }
  }
}
