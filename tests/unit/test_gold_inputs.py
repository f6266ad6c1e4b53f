"""Gold reads silver by name: every column the marts read is a column of its silver contract."""

from transforms import gold
from transforms.contracts import SILVER_ORDERS, SILVER_RETURNS


def test_the_marts_read_only_columns_silver_declares():
    assert set(gold.ORDER_COLUMNS) <= set(SILVER_ORDERS.column_names)
    assert set(gold.RETURN_COLUMNS) <= set(SILVER_RETURNS.column_names)
    assert len(set(gold.ORDER_COLUMNS)) == len(gold.ORDER_COLUMNS)
