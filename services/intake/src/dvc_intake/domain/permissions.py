"""Who may add to a dossier in intake: a supplement, the results returned online.

Reading a dossier (and its files, slips, receipts) follows the one policy of every service,
`dvc_common.access`.
"""

from __future__ import annotations

from dvc_common.principal import Principal, Role

RESULT_ISSUERS = (Role.ONE_STOP_OFFICER, Role.PROCESSING_OFFICER, Role.DEPARTMENT_HEAD, Role.AGENCY_LEADER)


def may_supplement(principal: Principal, *, agency_id: str, owner_subject: str | None) -> bool:
    """The owner, or a one-stop officer of the handling agency on the applicant's behalf."""
    if principal.is_officer:
        return principal.has_any_role(Role.ONE_STOP_OFFICER) and principal.agency_id == agency_id
    return owner_subject is not None and principal.subject == owner_subject


def may_issue_result(principal: Principal, *, agency_id: str) -> bool:
    """Officers of the handling agency who process or return results."""
    return (
        principal.is_officer and principal.agency_id == agency_id and principal.has_any_role(*RESULT_ISSUERS)
    )
