"""Who may read a dossier (and what hangs off it: files, slips, receipts, timeline), in every service.

The rule (pure; each service builds `DossierFacts` from its own copy of the dossier):
- an auditor (kiểm tra, thanh tra) or the provincial office (Văn phòng UBND tỉnh / Trung tâm PVHCC)
  reads every agency's dossiers;
- an officer of the handling agency reads it, and so does an officer of an agency the dossier was
  sent to (an inter-agency step or a transfer): the officer who may act on it may read it;
- a citizen or organisation reads it when their token subject is the dossier's owner (or the payer,
  for what they paid); an anonymous dossier (no owner) has no citizen reader.
Everyone else gets the same answer as for a dossier that does not exist (no existence oracle).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dvc_common.principal import Principal, Role

# Roles that see every agency's dossiers (inspection, the provincial office).
PROVINCE_WIDE = (Role.AUDITOR, Role.PROVINCIAL_OPERATOR)


@dataclass(frozen=True)
class DossierFacts:
    """What the read rule needs to know about one dossier."""

    agency_id: str  # the competent (handling) agency
    owner_subject: str | None = None  # token subject of the applicant; None for anonymous submissions
    # Agencies the dossier is or was sent to: its current inter-agency step's agency, transfers.
    participating_agencies: frozenset[str] = frozenset()
    payer_subject: str | None = None  # who paid (payments); reads the payment and its receipt

    @classmethod
    def of(
        cls,
        agency_id: str,
        owner_subject: str | None = None,
        *,
        step_agency_id: str | None = None,
        payer_subject: str | None = None,
    ) -> DossierFacts:
        """The usual case: the handling agency, the owner, and the current step's agency if any."""
        others = frozenset({step_agency_id}) - {agency_id} if step_agency_id else frozenset[str]()
        return cls(agency_id, owner_subject, others, payer_subject)


class ReadAccess(StrEnum):
    """Why a principal may read a dossier (for logs and the audit trail)."""

    PROVINCE_WIDE = "province_wide"
    HANDLING_AGENCY = "handling_agency"
    PARTICIPATING_AGENCY = "participating_agency"
    OWNER = "owner"
    PAYER = "payer"


def read_access(principal: Principal, dossier: DossierFacts) -> ReadAccess | None:
    """The reason `principal` may read `dossier`, or None when they may not."""
    if principal.is_officer:
        if principal.has_any_role(*PROVINCE_WIDE):
            return ReadAccess.PROVINCE_WIDE
        if principal.agency_id is None:
            return None
        if principal.agency_id == dossier.agency_id:
            return ReadAccess.HANDLING_AGENCY
        if principal.agency_id in dossier.participating_agencies:
            return ReadAccess.PARTICIPATING_AGENCY
        return None
    if dossier.owner_subject is not None and principal.subject == dossier.owner_subject:
        return ReadAccess.OWNER
    if dossier.payer_subject is not None and principal.subject == dossier.payer_subject:
        return ReadAccess.PAYER
    return None


def may_read_dossier(principal: Principal, dossier: DossierFacts) -> bool:
    return read_access(principal, dossier) is not None
