"""The gold marts: what each is built from and checked against."""
