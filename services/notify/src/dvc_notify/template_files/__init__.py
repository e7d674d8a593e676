"""The templates shipped with the service, one directory per event type, one file per channel.

They seed version 1 of each template in the database; from then on the provincial operator edits
them through the API (new versions, with a preview) without a deploy. Adding an event type to
notify about is data: a directory `<routing key>/` with `email.toml` and/or `zalo.toml`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from dvc_notify.domain.rendering import CHANNELS, EMAIL, TemplateSource

ROOT = Path(__file__).parent


def shipped_templates(root: Path = ROOT) -> dict[tuple[str, str], TemplateSource]:
    found: dict[tuple[str, str], TemplateSource] = {}
    for directory in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        for channel in CHANNELS:
            path = directory / f"{channel}.toml"
            if not path.is_file():
                continue
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            if channel == EMAIL:
                source = TemplateSource(
                    channel, subject=data["subject"], body_text=data["text"], body_html=data.get("html")
                )
            else:
                source = TemplateSource(
                    channel, zalo_template_id=str(data["template_id"]), zalo_data=dict(data["data"])
                )
            found[(directory.name, channel)] = source
    return found


def officer_template(routing_key: str, root: Path = ROOT / "_officer") -> TemplateSource:
    """The e-mail officers get about their work (shipped with the service, not operator-edited)."""
    return _email(root / f"{routing_key}.toml")


def account_template(name: str, root: Path = ROOT / "_account") -> TemplateSource:
    """The e-mail an account holder gets about their own account (shipped with the service)."""
    return _email(root / f"{name}.toml")


def _email(path: Path) -> TemplateSource:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return TemplateSource(EMAIL, subject=data["subject"], body_text=data["text"], body_html=data.get("html"))
