"""The antivirus hook: every uploaded document passes a `Scanner` before it leaves quarantine.

`ClamdScanner` (the default, `DVC_INTAKE_SCANNER=clamav`) talks to `clamd` (Debian `clamav-daemon`,
the `clamav` service of docker-compose.yml and deploy/k8s) over TCP (`DVC_INTAKE_CLAMAV_HOST`,
`DVC_INTAKE_CLAMAV_PORT`) or its Unix socket (`DVC_INTAKE_CLAMAV_SOCKET`), streaming the file with
clamd's INSTREAM command, so nothing is buffered. `NoScanner` (`DVC_INTAKE_SCANNER=none`) passes
everything (only the type checks apply): a development setting, refused in production. An infected file is refused (nothing stored); when the scanner cannot be reached the
document is stored as `quarantined` and is never served until a later scan clears it.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

Verdict = Literal["clean", "infected"]


class ScannerUnavailable(Exception):
    """The scanner could not give a verdict; the document stays quarantined."""


@dataclass(frozen=True)
class ScanResult:
    verdict: Verdict
    signature: str | None = None


class Scanner(Protocol):
    async def scan(self, chunks: AsyncIterator[bytes]) -> ScanResult: ...


class NoScanner:
    async def scan(self, chunks: AsyncIterator[bytes]) -> ScanResult:
        return ScanResult("clean")


class ClamdScanner:
    """clamd's INSTREAM protocol over TCP: `zINSTREAM\\0`, then <4-byte length><chunk>..., then 0."""

    def __init__(self, host: str, port: int, *, socket: Path | None = None, timeout: float = 30.0) -> None:
        self.host, self.port, self.socket, self.timeout = host, port, socket, timeout

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.socket is not None:
            return await asyncio.open_unix_connection(self.socket)
        return await asyncio.open_connection(self.host, self.port)

    async def scan(self, chunks: AsyncIterator[bytes]) -> ScanResult:
        try:
            reader, writer = await asyncio.wait_for(self._connect(), self.timeout)
        except (OSError, TimeoutError) as exc:
            raise ScannerUnavailable(str(exc)) from exc
        try:
            writer.write(b"zINSTREAM\0")
            async for chunk in chunks:
                writer.write(struct.pack(">I", len(chunk)) + chunk)
                await writer.drain()
            writer.write(struct.pack(">I", 0))
            await writer.drain()
            reply = (await asyncio.wait_for(reader.readuntil(b"\0"), self.timeout)).rstrip(b"\0").decode()
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
            raise ScannerUnavailable(str(exc)) from exc
        finally:
            writer.close()
        if reply.endswith("OK"):
            return ScanResult("clean")
        if reply.endswith("FOUND"):
            return ScanResult("infected", reply.removeprefix("stream:").removesuffix("FOUND").strip())
        raise ScannerUnavailable(reply)


def scanner_for(kind: str, host: str, port: int, socket: Path | None = None) -> Scanner:
    return ClamdScanner(host, port, socket=socket) if kind == "clamav" else NoScanner()
