"""The transports notices travel by: SMTP (the standard library's client) and HTTP POST (httpx,
never following a redirect)."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from ipaddress import ip_address
from urllib.parse import urlsplit

import httpx

from charter.notifications.domain import Mail, Network, Outcome, reachable

TIMEOUT = 15.0  # seconds for a webhook's answer (Standard Webhooks: 15 to 30)


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    security: str = "starttls"  # starttls | tls | none

    def _client(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        client = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
        if self.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        return client

    def send(self, mails: Sequence[Mail]) -> Outcome:
        try:
            with self._client() as client:
                if self.user:
                    client.login(self.user, self.password or "")
                for mail in mails:
                    client.send_message(self._message(mail))
        except smtplib.SMTPRecipientsRefused as exc:
            return Outcome(False, error=f"the server refused the address: {exc}", permanent=True)
        except (smtplib.SMTPException, OSError) as exc:
            return Outcome(False, error=f"{type(exc).__name__}: {exc}")
        return Outcome(True)

    def _message(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, mail.to, mail.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.sender.rsplit("@", 1)[-1])
        for name, value in mail.headers.items():
            message[name] = value
        message.set_content(mail.text)
        return message


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


def _pinned(url: str, allowed: Sequence[Network]) -> tuple[str, str, str] | Outcome:
    """The URL with its host replaced by the address it resolves to now, the Host header and
    the TLS server name; or why it may not be sent (an address of this server or its network:
    checked here, at each delivery, so a name that later resolves inside is refused too, and
    the connection goes to the address checked)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return Outcome(False, error=f"{host} does not resolve: {exc}"[:500])
    addresses = [ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    refused = [a for a in addresses if not reachable(a, allowed)]
    if refused or not addresses:
        return Outcome(
            False,
            error=f"{host} resolves to {refused[0] if refused else 'nothing'}, an address of "
            "this server or its network: refused (CHARTER_WEBHOOK_ALLOWED_NETWORKS)",
            permanent=True,
        )
    first = addresses[0]
    literal = f"[{first}]" if first.version == 6 else str(first)
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    return parts._replace(netloc=netloc).geturl(), parts.netloc.rsplit("@", 1)[-1], host


@dataclass(frozen=True, slots=True)
class HttpPoster:
    allowed: Sequence[Network] = ()  # networks of this server's own it may post to

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        pinned = _pinned(url, self.allowed)
        if isinstance(pinned, Outcome):
            return pinned
        target, host_header, server_name = pinned
        sent = {"content-type": "application/json", "user-agent": "Charter-Webhooks", **headers}
        sent["host"] = host_header
        try:
            with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client:
                request = client.build_request(
                    "POST", target, content=body, headers=sent,
                    extensions={"sni_hostname": server_name},
                )  # fmt: skip
                response = client.send(request)
        except httpx.HTTPError as exc:
            return Outcome(False, error=f"{type(exc).__name__}: {exc}"[:500])
        if 200 <= response.status_code < 300:
            return Outcome(True, response.status_code)
        return Outcome(
            False,
            response.status_code,
            f"answered {response.status_code}",
            _retry_after(response),
            permanent=response.status_code == 410,
        )
