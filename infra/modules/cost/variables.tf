variable "name" {
  description = "Prefix of the budget names."
  type        = string
}

variable "domains" {
  description = "The lake's domains, each with a budget on its `domain` tag."
  type        = list(string)
}

variable "monthly_budget_usd" {
  description = "Each domain's monthly budget in USD."
  type        = map(number)
}

variable "alert_at_percent" {
  description = "Tell the domain when its actual or forecast spend passes this percent of its budget."
  type        = number
}

variable "alert_topic_arns" {
  description = "Each domain's alert topic (its owners subscribed)."
  type        = map(string)
}
