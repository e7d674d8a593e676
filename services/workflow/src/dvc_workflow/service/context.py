"""What every use-case needs besides the session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dvc_common.outbox import Outbox
from dvc_common.worktime import Calendar

SYSTEM = "system"


@dataclass(frozen=True)
class Context:
    """What every use-case needs besides the session: the outbox and the working-time calendar."""

    outbox: Outbox
    calendar: Calendar


@dataclass(frozen=True)
class FormsConfig:
    """How the control slip and the register print: the font directory and the place of the date line."""

    font_dir: Path
    place: str | None = None
