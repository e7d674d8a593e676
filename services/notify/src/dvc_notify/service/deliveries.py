"""What was sent: a dossier's (or question's) deliveries, and the delivery log by status for officers.

Every answer is scoped by the shared read-access policy (`dvc_common.access`): a delivery belongs to
the dossier's handling agency (named by the event it was sent for); province-wide readers (auditors,
the provincial office) see every agency's. Notify knows no dossier's owner, so a citizen reads none
here (their mails are their own inbox); a dossier one may not read is answered as one that does not
exist."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.access import PROVINCE_WIDE, DossierFacts, may_read_dossier
from dvc_common.principal import Principal
from dvc_notify.domain.deliveries import Status
from dvc_notify.errors import dossier_not_found
from dvc_notify.models import Delivery
from dvc_notify.repository import NotifyRepository

# Rows sent before the agency was recorded: readable by province-wide readers only.
UNKNOWN_AGENCY = ""


def _facts(delivery: Delivery) -> DossierFacts:
    return DossierFacts(delivery.agency_id or UNKNOWN_AGENCY)


def _readable(principal: Principal, rows: list[Delivery]) -> list[Delivery]:
    return [row for row in rows if may_read_dossier(principal, _facts(row))]


class _Scope:
    """Which agency's rows a principal may list: all (None), one agency, or none at all."""

    def __init__(self, principal: Principal) -> None:
        self.everything = principal.is_officer and principal.has_any_role(*PROVINCE_WIDE)
        self.agency_id = principal.agency_id if principal.is_officer else None
        self.nothing = not self.everything and self.agency_id is None


async def of_dossier(session: AsyncSession, code: str, principal: Principal) -> list[Delivery]:
    """Every delivery about one dossier (or question) the principal may read, oldest first."""
    found = _readable(principal, await NotifyRepository(session).deliveries(code))
    if not found:
        raise dossier_not_found(code)
    return found


async def by_status(
    session: AsyncSession, principal: Principal, status: Status, *, after: int, limit: int
) -> list[Delivery]:
    """One page of the delivery log in one status, by id: the rows the principal may read."""
    scope = _Scope(principal)
    if scope.nothing:
        return []
    rows = await NotifyRepository(session).deliveries_by_status(
        status, after_id=after, limit=limit, agency_id=None if scope.everything else scope.agency_id
    )
    return _readable(principal, rows)


async def status_counts(session: AsyncSession, principal: Principal) -> dict[str, int]:
    """How many readable deliveries are in each status (statuses without any are left out)."""
    scope = _Scope(principal)
    if scope.nothing:
        return {}
    return await NotifyRepository(session).status_counts(None if scope.everything else scope.agency_id)
