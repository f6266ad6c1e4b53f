"""Whole pipeline runs on tiny generated data (marked slow)."""
