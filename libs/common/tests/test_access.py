"""Who may read a dossier: one table of cases for every service."""

from __future__ import annotations

import pytest

from dvc_common.access import DossierFacts, ReadAccess, may_read_dossier, read_access
from dvc_common.principal import Principal, Role

XAY_DUNG = "000.00.14.H56"  # Sở Xây dựng: the handling agency
THUE = "000.00.04.H56"  # Cục Thuế: an inter-agency step
CONG_AN = "000.00.09.H56"  # another agency, not involved
OWNER = "vneid:001190000123"


def officer(agency: str | None, *roles: Role) -> Principal:
    return Principal(
        subject=f"officer-{agency}", kind="officer", agency_id=agency, roles=frozenset(r.value for r in roles)
    )


def citizen(subject: str) -> Principal:
    return Principal(subject=subject, kind="citizen")


OWNED = DossierFacts(XAY_DUNG, OWNER)
ANONYMOUS = DossierFacts(XAY_DUNG, None)
AT_TAX_STEP = DossierFacts.of(XAY_DUNG, OWNER, step_agency_id=THUE)
PAID = DossierFacts(XAY_DUNG, None, payer_subject="vneid:009")


@pytest.mark.parametrize(
    ("principal", "dossier", "expected"),
    [
        (citizen(OWNER), OWNED, ReadAccess.OWNER),
        (citizen("vneid:999"), OWNED, None),
        (citizen(OWNER), ANONYMOUS, None),  # nobody owns an anonymous dossier
        (Principal(subject=OWNER, kind="organisation"), OWNED, ReadAccess.OWNER),
        (citizen("vneid:009"), PAID, ReadAccess.PAYER),
        (citizen("vneid:010"), PAID, None),
        (officer(XAY_DUNG, Role.ONE_STOP_OFFICER), OWNED, ReadAccess.HANDLING_AGENCY),
        (officer(XAY_DUNG, Role.PROCESSING_OFFICER), ANONYMOUS, ReadAccess.HANDLING_AGENCY),
        (officer(CONG_AN, Role.AGENCY_LEADER), OWNED, None),
        (officer(THUE, Role.PROCESSING_OFFICER), AT_TAX_STEP, ReadAccess.PARTICIPATING_AGENCY),
        (officer(THUE, Role.PROCESSING_OFFICER), OWNED, None),  # not (or no longer) involved
        (officer(CONG_AN, Role.PROCESSING_OFFICER), AT_TAX_STEP, None),
        (officer(None, Role.AUDITOR), OWNED, ReadAccess.PROVINCE_WIDE),
        (officer(CONG_AN, Role.PROVINCIAL_OPERATOR), AT_TAX_STEP, ReadAccess.PROVINCE_WIDE),
        (officer(None, Role.ONE_STOP_OFFICER), OWNED, None),  # an officer without an agency
        (Principal(subject=OWNER, kind="officer", agency_id=CONG_AN), OWNED, None),  # officers by agency only
    ],
)
def test_read_access(principal: Principal, dossier: DossierFacts, expected: ReadAccess | None) -> None:
    assert read_access(principal, dossier) == expected
    assert may_read_dossier(principal, dossier) is (expected is not None)


def test_facts_of_the_handling_agency_step_add_no_participant() -> None:
    assert DossierFacts.of(XAY_DUNG, OWNER, step_agency_id=XAY_DUNG).participating_agencies == frozenset()
    assert DossierFacts.of(XAY_DUNG, OWNER).participating_agencies == frozenset()
    assert AT_TAX_STEP.participating_agencies == {THUE}
