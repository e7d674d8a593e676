"""What notify's use-cases need besides the session: the renderer and how to link to the public look-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from dvc_notify.domain.rendering import Renderer


@dataclass(frozen=True)
class Notifier:
    """What enqueuing needs besides the session: the renderer and how to link to the public look-up."""

    renderer: Renderer
    lookup_url: str
    message_id_domain: str

    def context(self, payload: Mapping[str, Any], applicant_name: str, code: str) -> dict[str, Any]:
        return {
            **payload,
            "applicant_name": applicant_name,
            "lookup_url": self.lookup_url.format(code=quote(code)),
        }
