"""Who may manage which officer account, and the account's login state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dvc_common.principal import Role

# Roles only the provincial operator (Văn phòng UBND tỉnh / Sở KH&CN) hands out.
PROVINCIAL_ROLES = frozenset({Role.PROVINCIAL_OPERATOR.value, Role.AUDITOR.value})
ALL_ROLES = frozenset(role.value for role in Role)

POSITIONS = (
    "Công chức Bộ phận Một cửa",
    "Chuyên viên xử lý",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Lãnh đạo cơ quan",
    "Quản trị tài khoản cơ quan",
    "Công chức đầu mối kiểm soát TTHC",
    "Chuyên viên Văn phòng UBND tỉnh",
    "Thanh tra, kiểm tra",
)


@dataclass(frozen=True)
class Actor:
    subject: str
    agency_id: str | None
    roles: frozenset[str]

    def has(self, role: Role) -> bool:
        return role.value in self.roles


def may_manage(actor: Actor, target_agency: str, target_roles: frozenset[str] = frozenset()) -> bool:
    """Whether `actor` may create, see, change or lock an account of `target_agency` with `target_roles`.

    An agency's administrator manages the accounts of their own agency (Điện Biên Điều 9.1) but never
    hands out provincial roles. The provincial operator issues each agency's administrator account
    and the provincial roles (Lai Châu Điều 17.3.b), in any agency.
    """
    if actor.has(Role.PROVINCIAL_OPERATOR):
        return target_roles <= {Role.AGENCY_ADMIN.value} | PROVINCIAL_ROLES or (
            actor.agency_id == target_agency and actor.has(Role.AGENCY_ADMIN)
        )
    if actor.has(Role.AGENCY_ADMIN):
        return actor.agency_id == target_agency and not (target_roles & PROVINCIAL_ROLES)
    return False


def privilege(roles: frozenset[str]) -> int:
    """How much an account may do to others': 2 provincial operator, 1 agency admin, 0 none."""
    if Role.PROVINCIAL_OPERATOR.value in roles:
        return 2
    return 1 if Role.AGENCY_ADMIN.value in roles else 0


def needs_second_person(actor: Actor, target_roles: frozenset[str]) -> bool:
    """Whether an act on an account with `target_roles` takes a second person (four-eyes).

    One privileged account must not take over another of the same level alone: changing a peer's
    roles or contact (where a reset password goes), or locking them, waits until another
    privileged account approves. A higher role (the provincial operator over an agency
    administrator) acts at once.
    """
    target = privilege(target_roles)
    return target > 0 and target >= privilege(actor.roles)


def may_decide(
    actor: Actor,
    *,
    requested_by: str,
    target_id: str,
    target_agency: str,
    target_roles: frozenset[str],
) -> bool:
    """Whether `actor` may approve a peer change: a second person, not its target, who may make it."""
    return (
        actor.subject not in (requested_by, target_id)
        and privilege(actor.roles) >= privilege(target_roles)
        and may_manage(actor, target_agency, target_roles)
    )


@dataclass(frozen=True)
class OfficerListing:
    """Which officers a listing shows: an agency (None: every agency) and a department within it."""

    agency_id: str | None
    department: str | None


def officer_listing(
    actor: Actor, own_department: str | None, agency_id: str | None, department: str | None
) -> OfficerListing | None:
    """What `actor` may list, given the agency and department asked for; None when nothing.

    The provincial operator and auditors list any agency or all of them; an agency's administrator
    lists their own agency; a department head (trưởng phòng) lists the officers of their own
    department, to assign dossiers to.
    """
    if actor.has(Role.PROVINCIAL_OPERATOR) or actor.has(Role.AUDITOR):
        return OfficerListing(agency_id, department)
    agency = agency_id or actor.agency_id
    if actor.has(Role.AGENCY_ADMIN) and agency == actor.agency_id:
        return OfficerListing(agency, department)
    head_here = actor.has(Role.DEPARTMENT_HEAD) and agency == actor.agency_id
    if head_here and own_department is not None and department in (None, own_department):
        return OfficerListing(agency, own_department)
    return None


def may_read(actor: Actor, target_agency: str) -> bool:
    if actor.has(Role.PROVINCIAL_OPERATOR) or actor.has(Role.AUDITOR):
        return True
    return actor.has(Role.AGENCY_ADMIN) and actor.agency_id == target_agency


@dataclass(frozen=True)
class LoginState:
    failed_logins: int
    locked_until: datetime | None
    locked_at: datetime | None


def temporarily_locked(state: LoginState, now: datetime) -> bool:
    return state.locked_until is not None and state.locked_until > now


def after_failure(state: LoginState, now: datetime, *, limit: int, lock_for: timedelta) -> LoginState:
    """One more failed password: at `limit` failures in a row the account locks for `lock_for`."""
    failures = state.failed_logins + 1
    if failures >= limit:
        return LoginState(0, now + lock_for, state.locked_at)
    return LoginState(failures, state.locked_until, state.locked_at)
