"""Use cases of notifications: write a notice in the caller's transaction and dispatch it
(outbox), deliver what is due (sending), read and replay the delivery log (log), manage
endpoints and preferences (endpoints); the names are re-exported here."""

from __future__ import annotations

from charter.notifications.services.endpoints import (
    create_endpoint,
    list_endpoints,
    preferences,
    rotate_secret,
    set_endpoint_active,
    set_preference,
)
from charter.notifications.services.log import (
    deliveries,
    delivery,
    notices,
    recipients,
    replay,
    replay_failed,
)
from charter.notifications.services.outbox import dispatch, notify
from charter.notifications.services.sending import Report, deliver_due

__all__ = [
    "Report",
    "create_endpoint",
    "deliver_due",
    "deliveries",
    "delivery",
    "dispatch",
    "list_endpoints",
    "notices",
    "notify",
    "preferences",
    "recipients",
    "replay",
    "replay_failed",
    "rotate_secret",
    "set_endpoint_active",
    "set_preference",
]
