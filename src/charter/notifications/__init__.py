"""Notifications that are never lost: an outbox row in the same transaction as the change that
caused it, delivered by e-mail (SMTP, at once or in a daily digest) and to webhook endpoints
(Standard Webhooks; Slack and Teams incoming webhooks), with retries, a delivery log and
replay."""
