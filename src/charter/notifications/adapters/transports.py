"""The transports notices travel by: SMTP (the standard library's client) and HTTP POST (httpx,
never following a redirect)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import httpx

from charter.notifications.domain import Mail, Outcome

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


class HttpPoster:
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        sent = {"content-type": "application/json", "user-agent": "Charter-Webhooks", **headers}
        try:
            with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client:
                response = client.post(url, content=body, headers=sent)
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
