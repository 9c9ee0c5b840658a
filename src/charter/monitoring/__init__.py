"""Monitoring after go-live: monitors that run a system's suite on a schedule over a data
location template, evidence series and their trends, alerts on breaches, evidence freshness
and review triggers as policy data."""
