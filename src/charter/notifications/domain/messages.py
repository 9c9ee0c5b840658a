"""What a delivery sends: the Standard Webhooks payload and signature, chat payloads, and
e-mails one by one or as a daily digest. Pure: secrets and time are arguments."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from charter.kernel.errors import InvalidInput
from charter.notifications.domain.records import EVENTS, EndpointKind, Notice

SECRET_PREFIX = "whsec_"  # noqa: S105 (the scheme's public prefix)


def new_signing_secret(random_bytes: bytes) -> str:
    """A signing secret as the scheme serialises it: whsec_ and base64 of 24 to 64 bytes."""
    if not 24 <= len(random_bytes) <= 64:
        raise InvalidInput("a signing secret holds 24 to 64 random bytes")
    return SECRET_PREFIX + base64.b64encode(random_bytes).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header: v1, then base64 of HMAC-SHA256 over id.timestamp.body
    with the secret's decoded bytes."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    content = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


def payload(notice: Notice, link: str | None) -> bytes:
    """The JSON body a Standard Webhooks endpoint receives: type, timestamp, data."""
    data = {
        "id": notice.subject_id,
        "subject_type": notice.subject_type,
        "title": notice.title,
        **notice.data,
    }
    if link:
        data["link"] = link
    body = {"type": notice.type, "timestamp": _iso(notice.created_at), "data": data}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def chat_payload(kind: EndpointKind, notice: Notice, link: str | None) -> bytes:
    """A Slack or Teams incoming webhook's message."""
    head = EVENTS.get(notice.type, notice.type)
    text = f"{head}: {notice.title}" + (f" <{link}|open in Charter>" if link else "")
    if kind is EndpointKind.SLACK:
        body: dict[str, Any] = {"text": text}
    else:
        card = {
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.4",
            "body": [
                {"type": "TextBlock", "text": head, "weight": "Bolder", "wrap": True},
                {"type": "TextBlock", "text": notice.title, "wrap": True},
            ],
            "actions": (
                [{"type": "Action.OpenUrl", "title": "Open in Charter", "url": link}]
                if link
                else []
            ),
        }
        body = {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
            ],
        }
    return json.dumps(body, separators=(",", ":")).encode()


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    text: str
    headers: Mapping[str, str] = field(default_factory=dict)


def _lines(notice: Notice, link: str | None) -> list[str]:
    lines = [notice.title, ""]
    for key, value in sorted(notice.data.items()):
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            lines.append(f"{key.replace('_', ' ')}: {value}")
    if link:
        lines += ["", f"Open in Charter: {link}"]
    return lines


def mail_for(name: str, email: str, notice: Notice, link: str | None) -> Mail:
    head = EVENTS.get(notice.type, notice.type)
    text = "\n".join([f"Hello {name},", "", f"{head}.", "", *_lines(notice, link), "", _footer()])
    return Mail(
        email,
        f"[Charter] {head}: {notice.title}"[:200],
        text,
        {"X-Charter-Event": notice.type, "X-Charter-Notice": notice.id},
    )


def digest_for(
    name: str, email: str, notices: Sequence[tuple[Notice, str | None]], day: datetime
) -> Mail:
    parts = [f"Hello {name},", "", f"What happened in Charter ({len(notices)}):", ""]
    for notice, link in notices:
        parts += [f"* {EVENTS.get(notice.type, notice.type)}: {notice.title}"]
        if link:
            parts += [f"  {link}"]
    parts += ["", _footer()]
    subject = f"[Charter] Daily digest {day:%Y-%m-%d}: {len(notices)} notice(s)"
    return Mail(email, subject, "\n".join(parts), {"X-Charter-Event": "digest"})


def _footer() -> str:
    return "Choose how you hear of each kind of event: Charter, Notifications, Preferences."
