"""A directory of received e-mails: one ``<id>.eml`` file each plus ``index.json``.

The SMTP sink writes it, the HTTP API reads it; the index is replaced atomically so a reader
never sees it half written.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import tempfile
import threading
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from dvc_common import clock
from dvc_common.clock import wall_now

INDEX_FILE = "index.json"
_MAIL_ID = re.compile(r"[0-9]{19}-[0-9a-f]{8}")

Entry = dict[str, Any]


def parse_message(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    return str(value) if value is not None else ""


def _content(part: object) -> str | None:
    if not isinstance(part, EmailMessage):
        return None
    content: str = part.get_content()
    return content.replace("\r\n", "\n")  # SMTP delivers CRLF line ends


class MailDirectory:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    @property
    def _index_path(self) -> Path:
        return self.root / INDEX_FILE

    def _read_index(self) -> list[Entry]:
        try:
            entries: list[Entry] = json.loads(self._index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return entries

    def _write_index(self, entries: list[Entry]) -> None:
        fd, name = tempfile.mkstemp(dir=self.root, prefix=".index-")
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(entries, file, ensure_ascii=False, indent=1)
        os.replace(name, self._index_path)

    def add(self, raw: bytes, mail_from: str, rcpt_tos: list[str]) -> Entry:
        """Keep one received message; ids sort in order of arrival."""
        message = parse_message(raw)
        mail_id = f"{round(wall_now().timestamp() * 1e9)}-{uuid.uuid4().hex[:8]}"  # arrival order, real time
        entry: Entry = {
            "id": mail_id,
            "from": _header(message, "From") or mail_from,
            "to": list(rcpt_tos),
            "subject": _header(message, "Subject"),
            "received_at": clock.now().isoformat(),  # the system clock, as the mail's Date
            "size": len(raw),
        }
        with self._lock:
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / f"{mail_id}.eml").write_bytes(raw)
            self._write_index([*self._read_index(), entry])
        return entry

    def list(self) -> list[Entry]:
        return self._read_index()

    def get(self, mail_id: str) -> Entry | None:
        if not _MAIL_ID.fullmatch(mail_id):
            return None
        entry = next((e for e in self._read_index() if e["id"] == mail_id), None)
        path = self.root / f"{mail_id}.eml"
        if entry is None or not path.is_file():
            return None
        message = parse_message(path.read_bytes())
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        return {
            **entry,
            "headers": [[name, str(value)] for name, value in message.items()],
            "text": _content(text) or "",
            "html": _content(html),
            "attachments": [part.get_filename() or "" for part in message.iter_attachments()],
        }

    def clear(self) -> None:
        with self._lock:
            for entry in self._read_index():
                (self.root / f"{entry['id']}.eml").unlink(missing_ok=True)
            self._index_path.unlink(missing_ok=True)
