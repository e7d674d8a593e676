"""Annotated dependency aliases of the portal's pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dvc_common.client_address import request_client_address
from dvc_portal import errors
from dvc_portal.domain import csrf
from dvc_portal.rendering import Pages
from dvc_portal.service import sessions
from dvc_portal.service.context import Portal
from dvc_portal.service.sessions import Visitor


def portal_of(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


def client_ip(request: Request) -> str | None:
    return request_client_address(request, request.app.state.proxies)


async def visitor_of(request: Request) -> Visitor | None:
    """The browser's session, read once per request (its one-time messages are taken as it is read)."""
    if hasattr(request.state, "visitor"):
        cached: Visitor | None = request.state.visitor
        return cached
    portal = portal_of(request)
    found = await sessions.current(portal, request.cookies.get(portal.settings.session_cookie))
    request.state.visitor = found
    return found


def _here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


async def officer_of(request: Request) -> Visitor:
    visitor = await visitor_of(request)
    if visitor is None or not visitor.signed_in:
        raise errors.SignInRequired("officer", _here(request))
    if not visitor.is_officer:
        raise errors.officers_only()
    return visitor


async def citizen_of(request: Request) -> Visitor:
    visitor = await visitor_of(request)
    if visitor is None or visitor.kind not in ("citizen", "organisation"):
        raise errors.SignInRequired("citizen", _here(request))
    return visitor


async def checked_form(request: Request) -> dict[str, str]:
    """The POSTed form, once its CSRF token matches the session's (403 page otherwise)."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    visitor = await visitor_of(request)
    if visitor is None or not csrf.matches(visitor.csrf_token, fields.get(csrf.FIELD)):
        raise errors.csrf_failed()
    return fields


PortalDep = Annotated[Portal, Depends(portal_of)]
MaybeVisitor = Annotated[Visitor | None, Depends(visitor_of)]
CurrentOfficer = Annotated[Visitor, Depends(officer_of)]
CurrentCitizen = Annotated[Visitor, Depends(citizen_of)]
CheckedForm = Annotated[dict[str, str], Depends(checked_form)]
ClientAddress = Annotated[str | None, Depends(client_ip)]


def pages_of(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


PagesDep = Annotated[Pages, Depends(pages_of)]
