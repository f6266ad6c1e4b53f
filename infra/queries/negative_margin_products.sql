-- Products sold at a loss, worst first.
SELECT month, product_sku, product_name, revenue_usd, gross_margin_usd
FROM product_gold.product_performance
WHERE is_negative_margin
ORDER BY gross_margin_usd
