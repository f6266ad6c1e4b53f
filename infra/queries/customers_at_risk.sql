-- Customers who used to order often and have not ordered lately, most valuable first.
SELECT customer_id, rfm_segment, lifetime_revenue_usd, last_order_date
FROM customer_gold.customer_ltv
WHERE rfm_segment = 'at_risk'
ORDER BY lifetime_revenue_usd DESC
LIMIT 100
