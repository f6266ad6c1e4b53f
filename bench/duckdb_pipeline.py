"""The lake's bronze -> silver -> gold, written in DuckDB SQL: the benchmark's yardstick.

Same rules as the Spark transforms (reason codes in the same order, the same latest-version
de-duplication, the same reference flags, FX conversion, return linking and gold marts), run
over the same bronze files, writing Parquet silver, quarantine and gold, and checking every
table against the same quality suites. Its gold must equal Spark's to the last digit
(`bench.compare`), so where Spark's decimal arithmetic rounds in its own way (division to six
places, then to the column's scale, half-up) this does the same with integers.

Scope: the benchmark's data. The lake's bad-input handling beyond it (unreadable Parquet or
Avro files, invalid UTF-8, records over the length limit) has no twin here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import fastavro
import pyarrow as pa

from expectations.suites import TABLE_SUITES
from transforms import contracts as c
from transforms.customers import EMAIL_PATTERN
from transforms.frames import MAX_RECORD_CHARS
from transforms.returns import MAX_RETURN_QUANTITY


def landed_file_columns(prefix: str) -> str:
    """source_file (from the source's prefix on) and ingest_date of a landed file, from DuckDB's filename column."""
    return (
        f"regexp_extract(filename, '({prefix}/.*)$', 1) AS source_file, "
        "CAST(regexp_extract(filename, 'ingest_date=(\\d{4}-\\d{2}-\\d{2})', 1) AS DATE) AS ingest_date"
    )


TEXT_LINES = """
SELECT source_file, source_line, ingest_date, regexp_replace(raw_record, '^\ufeff', '') AS raw_record
FROM (
    SELECT {file_columns},
           unnest(lines) AS raw_record, unnest(generate_series(1, len(lines)))::INTEGER AS source_line
    FROM (SELECT filename, string_split_regex(content, '\\r?\\n') AS lines FROM read_text('{glob}'))
)
WHERE trim(raw_record) <> ''
"""


def _sql_list(values) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def blank_to_null(expression: str) -> str:
    return f"nullif(trim({expression}), '')"


def record_rules() -> list[tuple[str, str]]:
    return [
        ("BAD_ENCODING", "contains(raw_record, '\ufffd')"),
        ("RECORD_TOO_LONG", f"length(raw_record) > {MAX_RECORD_CHARS}"),
    ]


def first_matching(rules: list[tuple[str, str]]) -> str:
    """The first rule whose condition holds, as in `transforms.columns.first_matching_code`."""
    return "CASE " + " ".join(f"WHEN coalesce({cond}, false) THEN '{code}'" for code, cond in rules) + " END"


def csv_field_count(line: str) -> str:
    """Fields outside quotes, as `transforms.columns.csv_field_count` counts them."""
    unquoted = f"""regexp_replace(regexp_replace({line}, '"([^"]|"")*"', '', 'g'), '".*$', '')"""
    return f"len(string_split({unquoted}, ','))"


def csv_fields(line: str) -> str:
    """The fields as a list; quoted fields unquoted (lines without quotes take the quick path)."""
    quoted = f"""list_transform(regexp_extract_all({line} || ',', '("(?:[^"]|"")*"|[^,]*),', 1),
        lambda f: CASE WHEN starts_with(f, '"') THEN replace(f[2:-2], '""', '"') ELSE f END)"""
    return f"""CASE WHEN contains({line}, '"') THEN {quoted} ELSE string_split({line}, ',') END"""


def superseded(keys: str, newest_first: str) -> str:
    """DUPLICATE_SUPERSEDED for every good row but the newest of its key (`flag_superseded`)."""
    rank = f"row_number() OVER (PARTITION BY {keys} ORDER BY reject_reason IS NOT NULL, {newest_first})"
    return f"CASE WHEN reject_reason IS NULL AND {rank} > 1 THEN 'DUPLICATE_SUPERSEDED' ELSE reject_reason END"


NEWEST_LANDED = "ingest_date DESC, source_file DESC, source_line DESC"


def money_ratio(numerator: str, numerator_scale: int, denominator: str, denominator_scale: int, scale: int) -> str:
    """numerator / denominator as Spark computes `safe_ratio` on non-negative values: divided to
    6 places half-up, then rounded half-up to `scale`; null when the denominator is 0. Exact:
    the operands become integers (their unscaled values)."""
    a = f"CAST(round({numerator} * {10**numerator_scale}) AS HUGEINT)"
    b = f"CAST(round({denominator} * {10**denominator_scale}) AS HUGEINT)"
    top, bottom = f"{a} * {10 ** (denominator_scale + 6)}", f"{b} * {10**numerator_scale}"
    six = f"((2 * {top} + {bottom}) // (2 * {bottom}))"
    step = 10 ** (6 - scale)
    rounded = f"((2 * {six} + {step}) // {2 * step})"
    return f"CASE WHEN {b} <> 0 THEN CAST({rounded} AS DECIMAL(38, 0)) * {1 / 10**scale:.{scale}f} END"


def _score(value: str, thresholds, at_most: bool = False) -> str:
    op = "<=" if at_most else ">="
    return "CASE " + " ".join(f"WHEN {value} {op} {t} THEN {s}" for t, s in thresholds) + " ELSE 1 END"


def _segment() -> str:
    rules = " ".join(
        f"WHEN recency_score >= {r} AND frequency_score >= {f} THEN '{name}'" for name, r, f in c.RFM_SEGMENTS
    )
    return f"CASE {rules} END"


class DuckDBLake:
    """One run of the pipeline in one DuckDB connection; tables live in memory until written."""

    def __init__(self, bronze: Path, out: Path, threads: int = 2, memory_limit: str | None = None):
        self.bronze, self.out = bronze, out
        self.con = duckdb.connect()
        self.con.execute(f"SET threads = {threads}")
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET preserve_insertion_order = false")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self.timeline: dict[str, tuple[float, float]] = {}  # step -> (started, seconds)
        self.quality: dict[str, dict[str, int]] = {}  # table -> expectation -> unexpected rows
        self.quality_seconds: dict[str, float] = {}

    def sql(self, statement: str):
        return self.con.execute(statement)

    def table(self, name: str, select: str) -> None:
        self.sql(f"CREATE OR REPLACE TABLE {name} AS {select}")

    def step(self, name: str, work: Callable[[], None]) -> None:
        started = time.time()
        work()
        self.timeline[name] = (round(started, 3), round(time.time() - started, 3))

    def outcomes(self) -> dict[str, dict[str, int]]:
        """Records per dataset and outcome (`accepted` or the reason code), as Spark's ledger."""
        totals: dict[str, dict[str, int]] = {}
        for dataset in SILVER:
            rows = self.sql(
                f"SELECT coalesce(reject_reason, 'accepted'), count(*) FROM {dataset}_ranked GROUP BY 1 ORDER BY 1"
            ).fetchall()
            totals[dataset] = dict(rows)
        return totals

    # ---- bronze -------------------------------------------------------------------------
    def text_lines(self, source: c.BronzeSource, extension: str) -> str:
        glob = f"{self.bronze}/{source.prefix}/*/*.{extension}"
        return TEXT_LINES.format(file_columns=landed_file_columns(source.prefix), glob=glob)

    def avro_records(self, source: c.BronzeSource) -> pa.Table:
        rows = []
        for path in sorted((self.bronze / source.prefix).glob("*/*.avro")):
            relative = str(path.relative_to(self.bronze))
            ingest = relative.split("ingest_date=", 1)[1][:10]
            with path.open("rb") as handle:
                for number, record in enumerate(fastavro.reader(handle), 1):
                    rows.append({**record, "source_file": relative, "source_line": number, "ingest_date": ingest})
        return pa.Table.from_pylist(rows)

    # ---- silver -------------------------------------------------------------------------
    def fx_rates(self) -> None:
        rules = [
            *record_rules(),
            ("WRONG_FIELD_COUNT", f"field_count <> {len(c.FX_FILE_COLUMNS)}"),
            ("BAD_DATE", "rate_date IS NULL"),
            ("UNKNOWN_CURRENCY", f"currency IS NULL OR currency NOT IN ({_sql_list(c.CURRENCIES)})"),
            ("BAD_RATE", "rate_to_usd IS NULL OR rate_to_usd <= 0"),
        ]
        self.table(
            "fx_typed",
            f"""SELECT *, {first_matching(rules)} AS reject_reason FROM (
                SELECT *, TRY_CAST({blank_to_null("f[1]")} AS DATE) AS rate_date,
                       upper({blank_to_null("f[2]")}) AS currency,
                       TRY_CAST({blank_to_null("f[3]")} AS {c.FX_RATE.simpleString()}) AS rate_to_usd
                FROM (SELECT *, {csv_field_count("raw_record")} AS field_count, {csv_fields("raw_record")} AS f
                      FROM ({self.text_lines(c.FX_RATES_SOURCE, "csv")}) WHERE source_line > 1))""",
        )
        self.finish("fx_rates", "fx_typed", "rate_date, currency", NEWEST_LANDED, c.SILVER_FX_RATES)

    def customers(self, hash_key: str) -> None:
        wrong_type = " OR ".join(
            f"coalesce(json_type(js, '$.{n}'), 'NULL') NOT IN ('VARCHAR', 'NULL')"
            for n in top_level_text_fields(c.CUSTOMER_RECORD_SCHEMA)
        )
        aliases = ", ".join(f"('{k}', '{v}')" for k, v in c.COUNTRY_ALIASES.items())
        self.table("country_aliases", f"SELECT * FROM (VALUES {aliases}) AS t(alias, code)")
        phone = "json_extract_string(js, '$.phone')"
        digits = f"""CASE WHEN starts_with({phone}, '+') THEN '+' || regexp_replace({phone}[2:], '[^0-9]', '', 'g')
                     ELSE regexp_replace({phone}, '[^0-9]', '', 'g') END"""
        city = blank_to_null("json_extract_string(js, '$.address.city')")
        initcap = (
            f"array_to_string(list_transform(string_split(lower({city}), ' '), lambda w: upper(w[1]) || w[2:]), ' ')"
        )
        rules = [
            *record_rules(),
            ("NOT_JSON", "NOT is_json"),
            ("WRONG_TYPE", "has_wrong_types"),
            ("MISSING_ID", "customer_id IS NULL"),
            ("BAD_EMAIL", f"email IS NULL OR NOT regexp_matches(email, '{EMAIL_PATTERN}')"),
            ("MISSING_COUNTRY", f"{blank_to_null('country')} IS NULL"),
            ("UNKNOWN_COUNTRY", "country_code IS NULL"),
            ("BAD_TIMESTAMP", "updated_at IS NULL"),
        ]
        redacted = "raw_record"
        for field in ("email", "phone"):  # no PII in clear text reaches quarantine either
            redacted = f"""regexp_replace({redacted}, '("{field}"\\s*:\\s*)"[^"]*"', '\\1"<redacted>"', 'g')"""
        self.table(
            "customers_typed",
            f"""SELECT * EXCLUDE (js) REPLACE ({redacted} AS raw_record), {first_matching(rules)} AS reject_reason,
                       CASE WHEN email IS NOT NULL THEN sha256('{hash_key}' || email) END AS email_hash,
                       CASE WHEN phone IS NOT NULL THEN sha256('{hash_key}' || phone) END AS phone_hash
                FROM (
                SELECT l.*, coalesce({wrong_type}, false) AS has_wrong_types,
                   {blank_to_null("json_extract_string(js, '$.customer_id')")} AS customer_id,
                   lower({blank_to_null("json_extract_string(js, '$.email')")}) AS email,
                   {blank_to_null(digits)} AS phone,
                   TRY_CAST({blank_to_null("json_extract_string(js, '$.updated_at')")} AS TIMESTAMPTZ) AS updated_at,
                   {initcap} AS city,
                   json_extract_string(js, '$.address.country') AS country,
                   a.code AS country_code
                FROM (SELECT *, CASE WHEN is_json THEN raw_record END AS js FROM (
                        SELECT *,
                               coalesce(json_valid(raw_record) AND starts_with(trim(raw_record), '{{'), false)
                                   AS is_json
                        FROM ({self.text_lines(c.CUSTOMERS_SOURCE, "jsonl")}))) AS l
                LEFT JOIN country_aliases a
                  ON a.alias = upper({blank_to_null("json_extract_string(l.js, '$.address.country')")}))""",
        )
        newest = f"updated_at DESC NULLS LAST, {NEWEST_LANDED}"
        self.finish("customers", "customers_typed", "customer_id", newest, c.SILVER_CUSTOMERS)

    def products(self) -> None:
        rules = [
            ("MISSING_ID", "product_sku IS NULL"),
            ("BAD_PRICE", "list_price_usd IS NULL OR unit_cost_usd IS NULL"),
            ("NEGATIVE_PRICE", "list_price_usd < 0 OR unit_cost_usd < 0"),
        ]
        glob = f"{self.bronze}/{c.PRODUCTS_SOURCE.prefix}/*/*.parquet"
        self.table(
            "products_typed",
            f"""SELECT *, {first_matching(rules)} AS reject_reason FROM (
                SELECT {landed_file_columns(c.PRODUCTS_SOURCE.prefix)},
                       (file_row_number + 1)::INTEGER AS source_line,
                       to_json(struct_pack(sku, name, category, list_price, unit_cost, active))::VARCHAR AS raw_record,
                       {blank_to_null("sku")} AS product_sku, {blank_to_null("name")} AS product_name,
                       lower({blank_to_null("category")}) AS category, list_price AS list_price_usd,
                       unit_cost AS unit_cost_usd, coalesce(active, true) AS is_active
                FROM read_parquet('{glob}', filename = true, file_row_number = true))""",
        )
        self.finish("products", "products_typed", "product_sku", NEWEST_LANDED, c.SILVER_PRODUCTS)

    def orders(self) -> None:
        field = {name: f"f[{i + 1}]" for i, name in enumerate(c.ORDER_FILE_COLUMNS)}
        rules = [
            *record_rules(),
            ("WRONG_FIELD_COUNT", f"field_count <> {len(c.ORDER_FILE_COLUMNS)}"),
            (
                "MISSING_ID",
                "order_id IS NULL OR line_no IS NULL OR customer_id IS NULL OR product_sku IS NULL OR line_no <= 0",
            ),
            ("BAD_QUANTITY", "quantity IS NULL OR quantity <= 0"),
            ("BAD_TIMESTAMP", "order_ts IS NULL"),
            ("BAD_PRICE", "unit_price IS NULL"),
            ("NEGATIVE_PRICE", "unit_price < 0"),
            ("UNKNOWN_CURRENCY", f"currency IS NULL OR currency NOT IN ({_sql_list(c.CURRENCIES)})"),
            ("UNKNOWN_REGION", f"region IS NULL OR region NOT IN ({_sql_list(c.REGIONS)})"),
            ("UNKNOWN_CHANNEL", f"channel IS NULL OR channel NOT IN ({_sql_list(c.CHANNELS)})"),
            ("MISSING_FX_RATE", "fx_rate_to_usd IS NULL"),
        ]
        money, price = c.MONEY.simpleString(), c.UNIT_PRICE.simpleString()
        self.table(
            "orders_typed",
            f"""SELECT *, {first_matching(rules)} AS reject_reason FROM (
                SELECT *, CAST(quantity * unit_price AS {money}) AS line_amount,
                       CAST(CAST(quantity * unit_price AS {money}) * fx_rate_to_usd AS {money}) AS line_amount_usd
                FROM (
                    SELECT o.*, CAST(CASE WHEN o.currency = '{c.BASE_CURRENCY}' THEN 1 ELSE r.rate_to_usd END
                                     AS {c.FX_RATE.simpleString()}) AS fx_rate_to_usd
                    FROM (
                        SELECT source_file, source_line, ingest_date, raw_record, field_count,
                               {blank_to_null(field["order_id"])} AS order_id,
                               TRY_CAST({blank_to_null(field["line_no"])} AS INTEGER) AS line_no,
                               {blank_to_null(field["customer_id"])} AS customer_id,
                               {blank_to_null(field["product_sku"])} AS product_sku,
                               TRY_CAST({blank_to_null(field["order_ts"])} AS TIMESTAMPTZ) AS order_ts,
                               CAST(TRY_CAST({blank_to_null(field["order_ts"])} AS TIMESTAMPTZ) AS DATE) AS order_date,
                               upper({blank_to_null(field["region"])}) AS region,
                               lower({blank_to_null(field["channel"])}) AS channel,
                               TRY_CAST({blank_to_null(field["quantity"])} AS INTEGER) AS quantity,
                               TRY_CAST({blank_to_null(field["unit_price"])} AS {price}) AS unit_price,
                               upper({blank_to_null(field["currency"])}) AS currency
                        FROM (SELECT *, {csv_field_count("raw_record")} AS field_count, {csv_fields("raw_record")} AS f
                              FROM ({self.text_lines(c.ORDERS_SOURCE, "csv")}) WHERE source_line > 1)
                    ) AS o
                    LEFT JOIN silver_fx_rates r ON r.rate_date = o.order_date AND r.currency = o.currency))""",
        )
        self.table(
            "orders_flagged",
            """SELECT *, customer_id NOT IN (SELECT customer_id FROM silver_customers) AS is_unknown_customer,
                      product_sku NOT IN (SELECT product_sku FROM silver_products) AS is_unknown_product
               FROM orders_typed""",
        )
        self.finish("orders", "orders_flagged", "order_id, line_no", NEWEST_LANDED, c.SILVER_ORDERS)

    def returns(self) -> None:
        self.con.register("returns_avro", self.avro_records(c.RETURNS_SOURCE))
        money = c.MONEY.simpleString()
        rules = [
            ("MISSING_ID", "return_id IS NULL OR order_id IS NULL OR line_no IS NULL"),
            ("BAD_QUANTITY", f"quantity IS NULL OR quantity <= 0 OR quantity > {MAX_RETURN_QUANTITY}"),
            ("BAD_TIMESTAMP", "returned_at IS NULL"),
            ("ORPHAN_RETURN", "order_quantity IS NULL"),
            ("EXCESS_RETURN_QUANTITY", "quantity > order_quantity"),
        ]
        self.table(
            "returns_typed",
            f"""SELECT *, {first_matching(rules)} AS reject_reason FROM (
                SELECT a.source_file, a.source_line::INTEGER AS source_line, CAST(a.ingest_date AS DATE) AS ingest_date,
                       to_json(struct_pack(
                           a.return_id, a.order_id, a.line_no, a.quantity, a.reason, a.returned_at))::VARCHAR
                         AS raw_record,
                       {blank_to_null("a.return_id")} AS return_id, {blank_to_null("a.order_id")} AS order_id,
                       a.line_no, a.quantity, lower({blank_to_null("a.reason")}) AS return_reason,
                       TRY_CAST({blank_to_null("a.returned_at")} AS TIMESTAMPTZ) AS returned_at,
                       CAST(TRY_CAST({blank_to_null("a.returned_at")} AS TIMESTAMPTZ) AS DATE) AS return_date,
                       o.product_sku, o.customer_id, o.order_date, o.quantity AS order_quantity,
                       CAST(a.quantity * (o.unit_price * o.fx_rate_to_usd) AS {money}) AS refund_usd
                FROM returns_avro a LEFT JOIN silver_orders o
                  ON o.order_id = {blank_to_null("a.order_id")} AND o.line_no = a.line_no)""",
        )
        self.finish("returns", "returns_typed", "return_id", NEWEST_LANDED, c.SILVER_RETURNS)

    def finish(self, dataset: str, typed: str, keys: str, newest_first: str, table: c.TableContract) -> None:
        """Older versions superseded, then the silver table and the dataset's quarantine rows."""
        self.table(
            f"{dataset}_ranked", f"SELECT * REPLACE ({superseded(keys, newest_first)} AS reject_reason) FROM {typed}"
        )
        self.table(
            f"silver_{dataset}",
            f"SELECT {', '.join(table.column_names)} FROM {dataset}_ranked WHERE reject_reason IS NULL",
        )
        record_key = f"concat_ws('|', {', '.join(f'CAST({k} AS VARCHAR)' for k in table.primary_key)})"
        self.table(
            f"quarantine_{dataset}",
            f"""SELECT reject_reason, raw_record, nullif({record_key}, '') AS record_key, source_file, source_line,
                       ingest_date, '{dataset}' AS dataset, strftime(ingest_date, '%Y-%m') AS ingest_month
                FROM {dataset}_ranked WHERE reject_reason IS NOT NULL""",
        )

    # ---- gold ---------------------------------------------------------------------------
    def gold(self) -> None:
        money, ratio = c.MONEY.simpleString(), c.RATIO.simpleString()
        self.table(
            "gold_daily_sales",
            f"""WITH sales AS (
                  SELECT order_date, region, channel, sum(line_amount_usd) AS revenue_usd,
                         count(DISTINCT order_id) AS orders, sum(quantity)::BIGINT AS units
                  FROM silver_orders GROUP BY ALL),
                refunds AS (
                  SELECT r.order_date, o.region, o.channel, sum(r.refund_usd) AS returns_usd
                  FROM silver_returns r JOIN silver_orders o USING (order_id, line_no) GROUP BY ALL)
                SELECT region, channel, CAST(revenue_usd AS {money}) AS revenue_usd,
                       CAST(coalesce(returns_usd, 0) AS {money}) AS returns_usd,
                       CAST(revenue_usd - coalesce(returns_usd, 0) AS {money}) AS net_revenue_usd,
                       orders, units,
                       CAST({money_ratio("revenue_usd", 2, "orders", 0, 2)} AS {money}) AS avg_order_value_usd,
                       order_date
                FROM sales LEFT JOIN refunds USING (order_date, region, channel)""",
        )
        returns_by = """SELECT {keys}, sum(quantity)::BIGINT AS returned_units, sum(refund_usd) AS refunds_usd
                        FROM (SELECT *, CAST(date_trunc('month', order_date) AS DATE) AS month FROM silver_returns)
                        GROUP BY {keys}"""
        self.table(
            "gold_sales_kpis_monthly",
            f"""WITH orders AS (SELECT *, CAST(date_trunc('month', order_date) AS DATE) AS month FROM silver_orders),
                first_orders AS (SELECT customer_id, CAST(date_trunc('month', min(order_date)) AS DATE) AS first_month
                                 FROM silver_orders GROUP BY customer_id),
                monthly AS (
                  SELECT month, sum(line_amount_usd) AS revenue_usd, count(DISTINCT order_id) AS orders,
                         sum(quantity)::BIGINT AS units, count(DISTINCT customer_id) AS customers,
                         count(DISTINCT CASE WHEN first_month = month THEN customer_id END) AS new_customers
                  FROM orders JOIN first_orders USING (customer_id) GROUP BY month),
                joined AS (
                  SELECT m.*, coalesce(r.returned_units, 0) AS returned_units,
                         coalesce(r.refunds_usd, 0) AS refunds_usd,
                         lag(m.revenue_usd) OVER (ORDER BY m.month) AS previous_revenue
                  FROM monthly m LEFT JOIN ({returns_by.format(keys="month")}) r USING (month))
                SELECT month, CAST(revenue_usd AS {money}) AS revenue_usd,
                       CAST(revenue_usd - refunds_usd AS {money}) AS net_revenue_usd, orders,
                       CAST({money_ratio("revenue_usd", 2, "orders", 0, 2)} AS {money}) AS avg_order_value_usd,
                       customers, new_customers, customers - new_customers AS returning_customers,
                       units, returned_units,
                       CAST({money_ratio("returned_units", 0, "units", 0, 4)} AS {ratio}) AS return_rate,
                       CAST({money_ratio("revenue_usd", 2, "previous_revenue", 2, 4)} - 1 AS {ratio})
                           AS revenue_mom_growth
                FROM joined""",
        )
        self.table(
            "gold_product_performance",
            f"""WITH sales AS (
                  SELECT CAST(date_trunc('month', order_date) AS DATE) AS month, product_sku,
                         sum(quantity)::BIGINT AS units, CAST(sum(line_amount_usd) AS {money}) AS revenue_usd
                  FROM silver_orders GROUP BY ALL),
                joined AS (
                  SELECT s.*, coalesce(r.returned_units, 0) AS returned_units, p.product_name, p.category,
                         CAST(s.units * p.unit_cost_usd AS {money}) AS cost_usd
                  FROM sales s LEFT JOIN ({returns_by.format(keys="month, product_sku")}) r USING (month, product_sku)
                  LEFT JOIN silver_products p USING (product_sku))
                SELECT month, product_sku, product_name, category, units, revenue_usd, returned_units,
                       CAST({money_ratio("returned_units", 0, "units", 0, 4)} AS {ratio}) AS return_rate, cost_usd,
                       CAST(revenue_usd - cost_usd AS {money}) AS gross_margin_usd,
                       coalesce(revenue_usd - cost_usd < 0, false) AS is_negative_margin
                FROM joined""",
        )
        self.table(
            "gold_customer_ltv",
            f"""WITH per_customer AS (
                  SELECT customer_id, min(order_date) AS first_order_date, max(order_date) AS last_order_date,
                         count(DISTINCT order_id) AS orders, sum(line_amount_usd) AS revenue_usd
                  FROM silver_orders GROUP BY customer_id),
                refunds AS (
                    SELECT customer_id, sum(refund_usd) AS refunds_usd FROM silver_returns GROUP BY customer_id),
                scored AS (
                  SELECT p.*, s.country_code,
                         CAST(p.revenue_usd - coalesce(r.refunds_usd, 0) AS {money}) AS lifetime_revenue_usd,
                         datediff('day', p.last_order_date, (SELECT max(order_date) FROM silver_orders))::INTEGER
                           AS recency_days
                  FROM per_customer p LEFT JOIN refunds r USING (customer_id)
                  LEFT JOIN silver_customers s USING (customer_id)),
                scores AS (
                  SELECT *, {_score("recency_days", c.RECENCY_DAYS_SCORES, at_most=True)} AS recency_score,
                         {_score("orders", c.FREQUENCY_SCORES)} AS frequency_score,
                         {_score("lifetime_revenue_usd", c.MONETARY_USD_SCORES)} AS monetary_score
                  FROM scored)
                SELECT customer_id, country_code, first_order_date, last_order_date, orders, lifetime_revenue_usd,
                       recency_days, recency_score, frequency_score, monetary_score, {_segment()} AS rfm_segment
                FROM scores""",
        )

    # ---- quality ------------------------------------------------------------------------
    def check_quality(self, table: c.TableContract, relation: str) -> None:
        """The table's suite: every row rule in one aggregate query, plus one per unique key."""
        started = time.time()
        suite = TABLE_SUITES[table.qualified_name]
        row_rules = [e for e in suite.expectations if e.expectation_type not in UNIQUENESS]
        found = self.sql(
            f"SELECT {', '.join(f'count_if({_violation(e)})' for e in row_rules)} FROM {relation}"
        ).fetchone()
        unexpected = {_name(e): n for e, n in zip(row_rules, found, strict=True)}
        for e in suite.expectations:
            if e.expectation_type in UNIQUENESS:
                kw = e.configuration.kwargs
                keys = ", ".join(kw.get("column_list") or [kw["column"]])
                query = (
                    "SELECT coalesce(sum(n), 0) FROM "
                    f"(SELECT count(*) AS n FROM {relation} GROUP BY {keys} HAVING n > 1)"
                )
                unexpected[_name(e)] = int(self.sql(query).fetchone()[0])
        self.quality[table.qualified_name] = unexpected
        self.quality_seconds[table.qualified_name] = round(time.time() - started, 3)

    # ---- output -------------------------------------------------------------------------
    def write(self, relation: str, table: c.TableContract, layer_folder: str) -> None:
        target = self.out / layer_folder / table.domain / table.name
        target.parent.mkdir(parents=True, exist_ok=True)
        partition = f", PARTITION_BY ({', '.join(table.partition_by)})" if table.partition_by else ""
        if table.partition_by:
            self.sql(f"COPY {relation} TO '{target}' (FORMAT parquet, OVERWRITE_OR_IGNORE{partition})")
        else:
            self.sql(f"COPY {relation} TO '{target}.parquet' (FORMAT parquet)")


UNIQUENESS = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")


def top_level_text_fields(schema_ddl: str) -> list[str]:
    """`a STRING, b INT, c STRUCT<x: STRING>` -> ['a']: the top-level text fields of a DDL schema."""
    fields, depth, current = [], 0, ""
    for char in schema_ddl + ",":
        depth += char == "<"
        depth -= char == ">"
        if char == "," and depth == 0:
            fields.append(current.strip())
            current = ""
        else:
            current += char
    return [f.split()[0] for f in fields if f.split()[1].upper() == "STRING"]


def _name(expectation) -> str:
    kw = expectation.configuration.kwargs
    return f"{expectation.expectation_type}({kw.get('column') or ','.join(kw.get('column_list', []))})"


def _violation(expectation) -> str:
    """A SQL condition true for a row the expectation finds unexpected."""
    kind, kw = expectation.expectation_type, expectation.configuration.kwargs
    column = kw.get("column")
    if kind == "expect_column_values_to_not_be_null":
        return f"{column} IS NULL"
    if kind == "expect_column_values_to_be_in_set":
        return f"{column} IS NOT NULL AND {column} NOT IN ({', '.join(_literal(v) for v in kw['value_set'])})"
    if kind == "expect_column_values_to_be_between":
        low, high = kw.get("min_value"), kw.get("max_value")
        parts = []
        if low is not None:
            parts.append(f"{column} {'<=' if kw.get('strict_min') else '<'} {low}")
        if high is not None:
            parts.append(f"{column} {'>=' if kw.get('strict_max') else '>'} {high}")
        return f"{column} IS NOT NULL AND ({' OR '.join(parts)})"
    if kind == "expect_column_values_to_match_regex":
        return f"{column} IS NOT NULL AND NOT regexp_matches({column}, '{kw['regex']}')"
    raise ValueError(f"no DuckDB twin for {kind}")


def _literal(value) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


SILVER = {
    "fx_rates": c.SILVER_FX_RATES,
    "customers": c.SILVER_CUSTOMERS,
    "products": c.SILVER_PRODUCTS,
    "orders": c.SILVER_ORDERS,
    "returns": c.SILVER_RETURNS,
}
DOMAIN_OF = {dataset: table.domain for dataset, table in SILVER.items()}
GOLD = {
    "gold_daily_sales": c.GOLD_DAILY_SALES,
    "gold_sales_kpis_monthly": c.GOLD_SALES_KPIS_MONTHLY,
    "gold_product_performance": c.GOLD_PRODUCT_PERFORMANCE,
    "gold_customer_ltv": c.GOLD_CUSTOMER_LTV,
}


def run(bronze: Path, out: Path, hash_key: str, threads: int = 2) -> DuckDBLake:
    """The whole pipeline, step by step as the Spark jobs name their steps."""
    lake = DuckDBLake(bronze, out, threads)

    def clean() -> None:
        lake.fx_rates()
        lake.customers(hash_key)
        lake.products()
        lake.orders()
        lake.returns()

    def write_silver() -> None:
        for domain, table in c.QUARANTINE_TABLES.items():
            parts = [f"SELECT * FROM quarantine_{d}" for d, owner in DOMAIN_OF.items() if owner == domain]
            lake.table(f"quarantine_{domain}", " UNION ALL ".join(parts))
            lake.write(f"quarantine_{domain}", table, "quarantine")
        for dataset, table in SILVER.items():
            lake.write(f"silver_{dataset}", table, "silver")

    lake.step("read and clean bronze", clean)
    lake.step("validate silver", lambda: [lake.check_quality(t, f"silver_{d}") for d, t in SILVER.items()])
    lake.step("write silver and quarantine", write_silver)
    lake.step("build gold", lake.gold)
    lake.step("validate gold", lambda: [lake.check_quality(t, name) for name, t in GOLD.items()])
    lake.step("write gold", lambda: [lake.write(name, t, "gold") for name, t in GOLD.items()])
    return lake
