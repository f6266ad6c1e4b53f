-- Monthly revenue, orders, average order value and growth.
SELECT month, revenue_usd, net_revenue_usd, orders, avg_order_value_usd, revenue_mom_growth
FROM sales_gold.sales_kpis_monthly
ORDER BY month
