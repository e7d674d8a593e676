"""Which agency performs a dossier (cơ quan thực hiện): one of the procedure's performing agencies
(procedure.published.v1 `agencies`), chosen by the applicant or the counter officer; a counter officer
files only for an agency their own one-stop desk receives for (the agency itself or its receiving
agency, e.g. the provincial public-service centre for departments)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PerformingAgency:
    agency_id: str
    agency_name: str
    receiving_agency_id: str | None = None

    @property
    def receiver(self) -> str:
        """The agency whose one-stop desk receives this agency's dossiers."""
        return self.receiving_agency_id or self.agency_id

    def received_by(self, agency_id: str | None) -> bool:
        return agency_id is not None and agency_id in {self.agency_id, self.receiver}


class AgencyNotPerforming(Exception):
    """The requested agency does not perform the procedure."""


class AgencyChoiceNeeded(Exception):
    """Several agencies perform the procedure and none was chosen."""


class NotReceivingAgency(Exception):
    """The counter officer's agency neither performs nor receives for the chosen agency."""


def performing_agencies(
    agencies: Sequence[dict[str, Any]] | None, agency_id: str, agency_name: str
) -> list[PerformingAgency]:
    """The procedure's performing agencies; a copy recorded before the catalog listed them has its own."""
    listed = [
        PerformingAgency(a["agency_id"], a.get("agency_name") or a["agency_id"], a.get("receiving_agency_id"))
        for a in agencies or []
    ]
    return listed or [PerformingAgency(agency_id, agency_name)]


def choose_agency(
    agencies: Sequence[PerformingAgency], requested: str | None, *, counter_agency: str | None = None
) -> PerformingAgency:
    """The performing agency of a new dossier. `counter_agency`: the filing one-stop officer's agency
    (None online); the officer may only file for an agency their desk receives for."""
    candidates = list(agencies)
    if counter_agency is not None:
        candidates = [a for a in candidates if a.received_by(counter_agency)]
    if requested is not None:
        chosen = next((a for a in agencies if a.agency_id == requested), None)
        if chosen is None:
            raise AgencyNotPerforming(requested)
        if chosen not in candidates:
            raise NotReceivingAgency(requested)
        return chosen
    if not candidates:
        raise NotReceivingAgency(agencies[0].agency_id if len(agencies) == 1 else None)
    if len(candidates) > 1:
        raise AgencyChoiceNeeded()
    return candidates[0]
