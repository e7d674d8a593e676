"""Who reads a payment and who starts one (pure).

Reading follows the shared dossier read-access policy (`dvc_common.access`): the handling agency's
officers, province-wide readers, the dossier's owner and whoever paid. Starting a payment is the
owner's act (a citizen or organisation signed in as the dossier's applicant); for a dossier filed at
the counter (channel 1) the handling agency's one-stop officer may start it for the applicant. An
anonymous dossier has no online payer. Fees taken at the counter are recorded by the one-stop officer
of the handling agency or of the agency receiving its dossiers."""

from __future__ import annotations

from typing import Protocol

from dvc_common.access import DossierFacts, may_read_dossier
from dvc_common.principal import Principal, Role

COUNTER_CHANNEL = 1


class RequestFacts(Protocol):
    @property
    def agency_id(self) -> str: ...
    @property
    def payer_subject(self) -> str | None: ...


class DossierCopy(Protocol):
    @property
    def owner_subject(self) -> str | None: ...
    @property
    def channel(self) -> int: ...


def facts(request: RequestFacts, dossier: DossierCopy | None) -> DossierFacts:
    owner = dossier.owner_subject if dossier is not None else None
    return DossierFacts(request.agency_id, owner, payer_subject=request.payer_subject)


def may_read_payment(principal: Principal, request: RequestFacts, dossier: DossierCopy | None) -> bool:
    return may_read_dossier(principal, facts(request, dossier))


def may_start_payment(principal: Principal, request: RequestFacts, dossier: DossierCopy | None) -> bool:
    if dossier is None:
        return False
    if principal.is_officer:
        return (
            dossier.channel == COUNTER_CHANNEL
            and principal.agency_id == request.agency_id
            and principal.has_any_role(Role.ONE_STOP_OFFICER)
        )
    return dossier.owner_subject is not None and principal.subject == dossier.owner_subject


def may_record_counter_payment(
    principal: Principal, request: RequestFacts, receiving_agency_id: str | None = None
) -> bool:
    """Fees taken at the counter (cash or card) are recorded by a one-stop officer of the handling
    agency, or of the agency whose desk receives the procedure's dossiers for it (the provincial
    public-administration service centre for departments), whatever channel the dossier came by."""
    return (
        principal.is_officer
        and principal.agency_id is not None
        and principal.agency_id in {request.agency_id, receiving_agency_id}
        and principal.has_any_role(Role.ONE_STOP_OFFICER)
    )


def may_see_configuration(principal: Principal, agency_id: str) -> bool:
    """An agency's configuration (and its problems): its administrators and leaders, or the province."""
    if principal.has_any_role(Role.PROVINCIAL_OPERATOR):
        return True
    return principal.agency_id == agency_id and principal.has_any_role(Role.AGENCY_ADMIN, Role.AGENCY_LEADER)
