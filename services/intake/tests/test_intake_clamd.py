"""ClamdScanner speaks clamd's INSTREAM protocol: checked against a minimal clamd on a local socket
(length-prefixed chunks, a zero-length end, a NUL-terminated reply); unreachable → ScannerUnavailable."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator

import pytest

from dvc_intake.scanning import ClamdScanner, ScannerUnavailable

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


async def _fake_clamd(received: list[bytes]) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert await reader.readexactly(10) == b"zINSTREAM\0"
        data = b""
        while size := struct.unpack(">I", await reader.readexactly(4))[0]:
            data += await reader.readexactly(size)
        received.append(data)
        writer.write(b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_clamd_instream_clean_and_infected() -> None:
    received: list[bytes] = []
    server = await _fake_clamd(received)
    port = server.sockets[0].getsockname()[1]
    scanner = ClamdScanner("127.0.0.1", port)
    try:
        clean = await scanner.scan(_chunks(b"%PDF-1.4 ", b"noi dung"))
        infected = await scanner.scan(_chunks(b"%PDF-1.4 ", EICAR))
    finally:
        server.close()
        await server.wait_closed()
    assert clean.verdict == "clean" and received[0] == b"%PDF-1.4 noi dung"
    assert infected.verdict == "infected" and infected.signature == "Eicar-Test-Signature"


async def test_unreachable_clamd_leaves_the_file_in_quarantine() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    with pytest.raises(ScannerUnavailable):
        await ClamdScanner("127.0.0.1", port, timeout=2).scan(_chunks(b"%PDF-1.4"))
