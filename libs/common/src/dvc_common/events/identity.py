"""Identity events: the agency tree and officer accounts (public-service information only)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from dvc_common.events.base import PUBLIC, T0, EventType, Payload

AgencyLevel = Literal["province", "department", "district", "commune"]


OfficerRole = Literal[
    "one_stop_officer",
    "processing_officer",
    "department_head",
    "agency_leader",
    "agency_admin",
    "provincial_operator",
    "qa_focal_officer",
    "auditor",
]


class AgencyUpserted(Payload):
    """An agency of the tree was created or changed (event-carried state for other services)."""

    agency_id: str = Field(description="Standard identifier of the agency (used in dossier codes)")
    name: str
    level: AgencyLevel = Field(
        description="province, department (sở, ban, ngành), district (older data), commune"
    )
    parent_id: str | None
    active: bool
    updated_at: datetime


class OfficerUpserted(Payload):
    """An officer account was created or changed. Public-service information only: no e-mail or phone."""

    officer_id: str
    agency_id: str
    name: str
    position: str
    roles: list[OfficerRole]
    active: bool = Field(description="False while the account is locked")
    tokens_valid_after: datetime | None = Field(
        default=None,
        description="Access tokens of this officer issued at or before this instant must be refused",
    )
    updated_at: datetime


class OfficerLocked(Payload):
    """An officer account was locked: every token issued at or before `locked_at` must be refused."""

    officer_id: str
    agency_id: str
    locked_at: datetime
    reason: Literal["administrative", "moved", "left"]


AGENCY_UPSERTED = EventType(
    "agency",
    "upserted",
    1,
    AgencyUpserted,
    PUBLIC,
    "An agency (sở, ban, ngành, xã, phường) was created or changed; keep a local copy by agency_id.",
    AgencyUpserted(
        agency_id="000.00.14.H56",
        name="Sở Xây dựng tỉnh Lai Châu",
        level="department",
        parent_id="000.00.00.H56",
        active=True,
        updated_at=T0,
    ),
    producer="identity",
)


OFFICER_UPSERTED = EventType(
    "officer",
    "upserted",
    1,
    OfficerUpserted,
    PUBLIC,
    "An officer account was created or its position, roles or state changed.",
    OfficerUpserted(
        officer_id="5f0c2a4e-2d1b-4f7e-9a51-3c8f1b2d7e10",
        agency_id="000.00.14.H56",
        name="Trần Thị Hoa",
        position="Chuyên viên Bộ phận Một cửa",
        roles=["one_stop_officer"],
        active=True,
        tokens_valid_after=T0,
        updated_at=T0,
    ),
    producer="identity",
)


OFFICER_LOCKED = EventType(
    "officer",
    "locked",
    1,
    OfficerLocked,
    PUBLIC,
    "An officer account was locked (moved, left, or by the administrator); refuse its tokens at once.",
    OfficerLocked(
        officer_id="5f0c2a4e-2d1b-4f7e-9a51-3c8f1b2d7e10",
        agency_id="000.00.14.H56",
        locked_at=T0,
        reason="moved",
    ),
    producer="identity",
)
