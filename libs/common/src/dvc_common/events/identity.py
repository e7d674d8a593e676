"""Identity events: the agency tree (public) and officer accounts (internal: names, roles, e-mail)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from dvc_common.events.base import INTERNAL, PUBLIC, T0, EventType, Payload

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
    """An officer account was created or changed (internal: our services' copy of the officer list)."""

    officer_id: str
    agency_id: str
    name: str
    position: str
    roles: list[OfficerRole]
    active: bool = Field(description="False while the account is locked")
    department: str | None = Field(
        default=None,
        description="Code of the officer's department within the agency (one of the agency's departments)",
    )
    department_name: str | None = Field(default=None, description="That department's name")
    email: str | None = Field(default=None, description="The officer's own e-mail, for their notifications")
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


class OfficerCredentialsIssued(Payload):
    """A temporary password for the holder's own e-mail (never shown to the actor). Internal: a secret."""

    officer_id: str
    agency_id: str
    name: str
    email: str | None = Field(description="The holder's own e-mail; None when the account has none")
    temporary_password: str = Field(description="Valid until first use; the holder must change it")
    reason: Literal["created", "reset"]
    issued_at: datetime


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
    INTERNAL,
    "An officer account was created or its position, department, roles or state changed.",
    OfficerUpserted(
        officer_id="5f0c2a4e-2d1b-4f7e-9a51-3c8f1b2d7e10",
        agency_id="000.00.14.H56",
        name="Trần Thị Hoa",
        position="Chuyên viên Bộ phận Một cửa",
        roles=["one_stop_officer"],
        active=True,
        department="mot-cua",
        department_name="Bộ phận Một cửa",
        email="tthoa@laichau.gov.vn",
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
    INTERNAL,
    "An officer account was locked (moved, left, or by the administrator); refuse its tokens at once.",
    OfficerLocked(
        officer_id="5f0c2a4e-2d1b-4f7e-9a51-3c8f1b2d7e10",
        agency_id="000.00.14.H56",
        locked_at=T0,
        reason="moved",
    ),
    producer="identity",
)


OFFICER_CREDENTIALS_ISSUED = EventType(
    "officer",
    "credentials_issued",
    1,
    OfficerCredentialsIssued,
    INTERNAL,
    "An account was opened or its password reset: mail the temporary password to the holder only.",
    OfficerCredentialsIssued(
        officer_id="5f0c2a4e-2d1b-4f7e-9a51-3c8f1b2d7e10",
        agency_id="000.00.14.H56",
        name="Trần Thị Hoa",
        email="tthoa@laichau.gov.vn",
        temporary_password="Xk4mP9qR2sT7vW-42",
        reason="reset",
        issued_at=T0,
    ),
    producer="identity",
)
