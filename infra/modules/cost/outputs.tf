output "budget_names" {
  description = "Each domain's monthly budget."
  value       = { for domain, budget in aws_budgets_budget.domain : domain => budget.name }
}
