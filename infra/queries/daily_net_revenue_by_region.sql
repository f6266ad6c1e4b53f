-- Net revenue (USD) per day and region over the last 30 days.
SELECT order_date, region, SUM(net_revenue_usd) AS net_revenue_usd, SUM(orders) AS orders
FROM sales_gold.daily_sales
WHERE order_date >= date_add('day', -30, current_date)
GROUP BY order_date, region
ORDER BY order_date, region
