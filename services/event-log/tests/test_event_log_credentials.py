"""Integrator credentials: API keys kept as digests, rotation, the production guard, the key tool."""

from __future__ import annotations

import json

import pytest
from event_log_support import EventLog
from pydantic import ValidationError
from typer.testing import CliRunner

from dvc_event_log.cli import app
from dvc_event_log.domain.credentials import DEV_KEY, IntegratorKeys, digest
from dvc_event_log.settings import EventLogSettings

PRODUCTION = {"environment": "production", "database_url": "postgresql+asyncpg://el:s3cret-pw@db/dvc_event_log",
              "amqp_url": "amqp://el:s3cret-pw@mq/dvc"}  # fmt: skip


def test_a_key_is_known_by_its_digest_and_two_may_be_valid_while_rotating() -> None:
    keys = IntegratorKeys(
        {"so-xay-dung": [digest("old-key"), digest("new-key").upper()], "erp": [digest("erp-key")]}
    )
    assert keys.integrator("old-key") == keys.integrator("new-key") == "so-xay-dung"
    assert keys.integrator("erp-key") == "erp"
    assert keys.integrator("guess") is None and keys.integrator("") is None and keys.integrator(None) is None


def test_production_refuses_the_development_key_and_accepts_its_own() -> None:
    with pytest.raises(ValidationError, match="development integrator key"):
        EventLogSettings(**PRODUCTION)  # type: ignore[arg-type]
    own = EventLogSettings(**PRODUCTION, integrator_keys={"erp": [digest("erp-key")]})  # type: ignore[arg-type]
    assert own.integrator_keys == {"erp": [digest("erp-key")]}


def test_the_keys_come_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DVC_EVENT_LOG_INTEGRATOR_KEYS", json.dumps({"erp": [digest("erp-key")]}))
    assert EventLogSettings().integrator_keys == {"erp": [digest("erp-key")]}


def test_new_key_prints_a_key_and_the_settings_line_holding_only_its_digest() -> None:
    out = CliRunner().invoke(app, ["new-key", "so-xay-dung"]).output.splitlines()
    key = out[0].rsplit(": ", 1)[1]
    assert len(key) >= 40
    settings_line = out[1]
    assert digest(key) in settings_line and key not in settings_line
    assert CliRunner().invoke(app, ["digest", key]).output.strip() == digest(key)


async def test_the_feed_accepts_a_rotated_key(event_log: EventLog) -> None:
    event_log.app.state.integrator_keys = IntegratorKeys({"erp": [digest("erp-key"), digest(DEV_KEY)]})
    for key in ("erp-key", DEV_KEY):
        assert (await event_log.http.get("/api/v1/events", headers={"X-API-Key": key})).status_code == 200
