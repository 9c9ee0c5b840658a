"""Charter: run an organisation's AI leadership as records, rules and evidence."""

__version__ = "0.1.0"
