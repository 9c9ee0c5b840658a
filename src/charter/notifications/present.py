"""Notifications as JSON-ready data: a delivery with its notice's type and title; an endpoint
without its signing secret."""

from __future__ import annotations

from typing import Any

from charter.kernel.present import as_json
from charter.notifications.domain import Attempt, Delivery, Endpoint, Notice


def endpoint_json(endpoint: Endpoint, secret: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = as_json(endpoint)
    data.pop("signing_secret", None)
    if secret:
        data["signing_secret"] = secret  # shown once, when made or rotated
    return data


def delivery_json(
    delivery: Delivery, notice: Notice | None = None, attempts: list[Attempt] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = as_json(delivery)
    if notice is not None:
        data["notice"] = as_json(notice)
    if attempts is not None:
        data["attempts_log"] = as_json(attempts)
    return data
