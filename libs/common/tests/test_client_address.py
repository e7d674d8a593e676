"""The client address: X-Forwarded-For believed only from trusted proxies, read from the right."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from starlette.requests import Request

from dvc_common.client_address import TrustedProxies, client_address, request_client_address
from dvc_common.settings import ServiceSettings

INGRESS = TrustedProxies.parse(["10.0.0.0/8", "fd00::/8"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "expected"),
    [
        ("203.0.113.7", None, TrustedProxies(), "203.0.113.7"),
        # Trust no one by default: a spoofed header from the socket peer is ignored.
        ("203.0.113.7", "198.51.100.1", TrustedProxies(), "203.0.113.7"),
        # A spoofed header from an untrusted peer, even when proxies are configured.
        ("203.0.113.7", "10.1.2.3, 198.51.100.1", INGRESS, "203.0.113.7"),
        # Behind the ingress: the address it appended.
        ("10.0.0.5", "198.51.100.1", INGRESS, "198.51.100.1"),
        # The client wrote its own header first; the ingress appended the real address.
        ("10.0.0.5", "1.2.3.4, 198.51.100.1", INGRESS, "198.51.100.1"),
        # Two trusted hops (load balancer, then ingress).
        ("10.0.0.5", "198.51.100.1, 10.9.9.9", INGRESS, "198.51.100.1"),
        ("10.0.0.5", None, INGRESS, "10.0.0.5"),
        ("10.0.0.5", "not-an-ip", INGRESS, "10.0.0.5"),
        ("fd00::1", "2001:db8::42", INGRESS, "2001:db8::42"),
        (None, "198.51.100.1", INGRESS, None),
    ],
)
def test_client_address(
    peer: str | None, forwarded: str | None, proxies: TrustedProxies, expected: str | None
) -> None:
    assert client_address(peer, forwarded, proxies) == expected


def _request(peer: str, forwarded: str | None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "client": (peer, 5555)})


def test_request_client_address_reads_the_socket_and_the_header() -> None:
    assert request_client_address(_request("10.0.0.5", "198.51.100.1"), INGRESS) == "198.51.100.1"
    assert request_client_address(_request("203.0.113.7", "198.51.100.1"), INGRESS) == "203.0.113.7"


def test_trusted_proxies_are_a_settings_field_validated_at_start() -> None:
    assert ServiceSettings().trusted_proxies == []
    settings = ServiceSettings(trusted_proxies=["10.0.0.0/8"])
    assert TrustedProxies.parse(settings.trusted_proxies).trusts("10.20.30.40")
    with pytest.raises(ValidationError):
        ServiceSettings(trusted_proxies=["10.0.0.0/33"])
