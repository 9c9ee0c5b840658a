"""The demo organisation: a fictional bank and insurer, built through the real services."""
