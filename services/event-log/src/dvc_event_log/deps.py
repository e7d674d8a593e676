"""Annotated dependency aliases of the event log's routes: the integrator, the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from dvc_event_log.domain.credentials import IntegratorKeys
from dvc_event_log.errors import not_authenticated
from dvc_event_log.settings import EventLogSettings

API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="The integrator's API key")


def settings_of(request: Request) -> EventLogSettings:
    settings: EventLogSettings = request.app.state.settings
    return settings


def integrator(request: Request, key: Annotated[str | None, Security(API_KEY)]) -> str:
    keys: IntegratorKeys = request.app.state.integrator_keys
    name = keys.integrator(key)
    if name is None:
        raise not_authenticated()
    return name


Integrator = Annotated[str, Depends(integrator)]
SettingsDep = Annotated[EventLogSettings, Depends(settings_of)]
