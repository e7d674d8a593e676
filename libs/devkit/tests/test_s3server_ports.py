"""The test S3 server starts although a port chosen for it was taken before weed could bind it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from minio import Minio

from dvc_devkit.testing import s3server


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_port_taken_between_choice_and_bind_is_chosen_again(
    taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = s3server.free_port
    handed_out: list[int] = []

    def first_one_taken(host: str = "127.0.0.1") -> int:
        port = taken_port if not handed_out else real(host)
        handed_out.append(port)
        return port

    monkeypatch.setattr(s3server, "free_port", first_one_taken)
    with s3server.running_s3_server() as s3:
        assert taken_port not in s3._ports.values()
        client = Minio(s3.endpoint, access_key=s3.access_key, secret_key=s3.secret_key, secure=False)
        client.make_bucket("retried")
        assert [b.name for b in client.list_buckets()] == ["retried"]
    assert handed_out.count(taken_port) == 1, "the taken port was the first choice, and only the first"
