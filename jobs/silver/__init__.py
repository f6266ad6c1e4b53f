"""The silver layer's declarations: which landed datasets become which silver tables, and how."""
