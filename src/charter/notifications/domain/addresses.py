"""Where a webhook may be sent: URL shape, and addresses outside this server's own networks
unless configured (no request forgery into them)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from ipaddress import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    ip_address,
    ip_network,
)
from urllib.parse import urlsplit

from charter.kernel.errors import InvalidInput

URL = re.compile(r"^https?://[^\s/@]+(:\d+)?(/[^\s]*)?$")
Network = IPv4Network | IPv6Network
Address = IPv4Address | IPv6Address


def parse_networks(text: str) -> tuple[Network, ...]:
    """CHARTER_WEBHOOK_ALLOWED_NETWORKS: comma-separated addresses or CIDR blocks."""
    try:
        return tuple(ip_network(part.strip()) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise InvalidInput(f"webhook allowed networks: {exc}") from None


def reachable(address: Address, allowed: Sequence[Network] = ()) -> bool:
    """Whether a webhook may be sent to the address: a public one, or one of the networks
    configured (loopback, private, link-local such as the cloud metadata service 169.254.169.254,
    and reserved addresses are this server's or its network's own: refused by default)."""
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in allowed):
        return True
    return address.is_global and not address.is_multicast


def literal_host(host: str) -> Address | None:
    """The address a URL's host names without a lookup (localhost is the loopback)."""
    if host.lower().rstrip(".") in ("localhost", "localhost.localdomain"):
        return IPv4Address("127.0.0.1")
    try:
        return ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url: str, allowed: Sequence[Network] = ()) -> str:
    """An endpoint's address: https (plain http only to a network configured), no
    credentials, not an address of this server's own or its network's unless configured (the
    names are checked again, resolved, at each delivery)."""
    url = url.strip()
    if not URL.match(url) or len(url) > 2000:
        raise InvalidInput(f"not a web address: {url[:100]!r}", details={"field": "url"})
    host = literal_host(urlsplit(url).hostname or "")
    if host is not None and not reachable(host, allowed):
        raise InvalidInput(
            f"a webhook may not be sent to {host}, an address of this server or its network "
            "(loopback, private, link-local or reserved): CHARTER_WEBHOOK_ALLOWED_NETWORKS "
            "allows one",
            details={"field": "url"},
        )
    if url.startswith("http://") and not (host and any(host in n for n in allowed)):
        raise InvalidInput(
            "a webhook endpoint must use https (plain http only to an address in "
            "CHARTER_WEBHOOK_ALLOWED_NETWORKS)",
            details={"field": "url"},
        )
    return url
