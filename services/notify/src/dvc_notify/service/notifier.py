"""What notify's use-cases need besides the session: the renderer and the links letters carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from dvc_notify.domain.rendering import Renderer


@dataclass(frozen=True)
class Notifier:
    """What enqueuing needs besides the session: the renderer and how to link to the pages people open."""

    renderer: Renderer
    lookup_url: str
    message_id_domain: str
    question_url: str = "http://127.0.0.1:8006/api/v1/questions/{question_id}"
    officer_url: str = "http://127.0.0.1:8000/can-bo/ho-so/{code}"
    officer_login_url: str = "http://127.0.0.1:8000/can-bo/dang-nhap"

    def context(
        self, payload: Mapping[str, Any], applicant_name: str, code: str, **names: Any
    ) -> dict[str, Any]:
        """The template's variables: the event's fields, who it is for, the links, and the names
        (procedure_name, agency_name) of what the event names by code."""
        question_id = str(payload.get("question_id") or "")
        return {
            "procedure_name": "",
            "agency_name": "",
            **payload,
            **{k: v for k, v in names.items() if v},
            "applicant_name": applicant_name,
            "lookup_url": self.lookup_url.format(code=quote(code)),
            "question_url": self.question_url.format(question_id=quote(question_id)) if question_id else "",
            "officer_url": self.officer_url.format(code=quote(code)),
        }
