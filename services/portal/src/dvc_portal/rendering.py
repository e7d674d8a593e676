"""Pages from Jinja2 templates, with the Vietnamese formatting filters, the session's form token and
its one-time messages; and the session cookie (HttpOnly, SameSite=Lax, Secure behind TLS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dvc_portal.domain import csrf, formatting
from dvc_portal.service.sessions import Visitor
from dvc_portal.settings import PortalSettings

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date_vi=formatting.date_vi,
        time_vi=formatting.time_vi,
        datetime_vi=formatting.datetime_vi,
        money=formatting.money_vi,
        processing_time=formatting.processing_time_vi,
        file_size=formatting.file_size_vi,
    )
    env.globals.update(
        label=formatting.label,
        ONLINE_LEVELS=formatting.ONLINE_LEVELS,
        DELIVERY=formatting.DELIVERY,
        FEE_KINDS=formatting.FEE_KINDS,
        CHANNELS=formatting.CHANNELS,
        ROLES=formatting.ROLES,
        ACTIONS=formatting.ACTIONS,
        ASKED_OF_APPLICANT=formatting.ASKED_OF_APPLICANT,
        SCAN_STATUS=formatting.SCAN_STATUS,
        FILE_KINDS=formatting.FILE_KINDS,
        TIMELINESS=formatting.TIMELINESS,
        SCOPES=formatting.SCOPES,
        AGENCY_LEVELS=formatting.AGENCY_LEVELS,
        CSRF_FIELD=csrf.FIELD,
    )
    return env


class Pages:
    def __init__(self, settings: PortalSettings) -> None:
        self.settings = settings
        self.env = environment()

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        *,
        visitor: Visitor | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        visitor = visitor or getattr(request.state, "visitor", None)
        html = self.env.get_template(template).render(
            request=request, visitor=visitor, path=request.url.path, **(context or {})
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["Cache-Control"] = "no-store" if visitor is not None else "no-cache"
        self.keep(response, visitor)
        return response

    def redirect(self, url: str, visitor: Visitor | None = None) -> RedirectResponse:
        response = RedirectResponse(url, status_code=303)
        self.keep(response, visitor)
        return response

    def keep(self, response: Response, visitor: Visitor | None) -> None:
        """Send the cookie of a session opened (or renewed at sign-in) during this request."""
        if visitor is not None and visitor.new_id is not None:
            response.set_cookie(
                self.settings.session_cookie,
                visitor.new_id,
                httponly=True,
                samesite="lax",
                secure=self.settings.secure_cookies,
                path="/",
            )

    def forget(self, response: Response) -> None:
        response.delete_cookie(
            self.settings.session_cookie,
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.settings.secure_cookies,
        )
