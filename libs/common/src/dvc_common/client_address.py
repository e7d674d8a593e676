"""The client's IP address, believing `X-Forwarded-For` only from trusted reverse proxies.

A client can send any `X-Forwarded-For` it likes, so the header is read only when the socket peer is
one of the configured proxies (`ServiceSettings.trusted_proxies`, CIDRs; empty by default: trust no
one). Each proxy appends the address it received the request from, so the header is walked from the
right, skipping trusted proxies: the first address that is not one is the client. Entries left of it
were written by the client (or its own proxies) and are not believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, cidrs: Iterable[str]) -> TrustedProxies:
        """From CIDRs ("10.0.0.0/8", "192.168.1.7"); raises ValueError on a malformed one."""
        return cls(tuple(ipaddress.ip_network(c.strip(), strict=False) for c in cidrs if c.strip()))

    def trusts(self, address: str) -> bool:
        ip = _ip(address)
        return ip is not None and any(ip in network for network in self.networks)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: str | None, proxies: TrustedProxies) -> str | None:
    """The client of a connection from `peer` carrying `forwarded_for` (None when nothing is known)."""
    if peer is None or not proxies.trusts(peer):
        return peer
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        if _ip(hop) is None:
            break  # garbage from further left cannot be believed: the last proxy's peer stands
        client = hop
        if not proxies.trusts(hop):
            break
    return client


def request_client_address(request: Request, proxies: TrustedProxies) -> str | None:
    """`client_address` of a Starlette/FastAPI request."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), proxies)
