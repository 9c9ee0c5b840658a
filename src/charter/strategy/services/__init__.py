"""Use cases of strategy: intake, the portfolio and KPIs."""
