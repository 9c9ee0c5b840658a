"""Command-line interface (Typer + Rich). Commands parse, call one service, present."""
