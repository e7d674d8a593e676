"""What the agency's configuration does to dossiers (issue 15): each performing agency charges its own
fees (procedure.published.v1's `agencies`), into the account of the agency the catalog names; a
dossier whose agency has no account yet is a configuration problem, not a dead letter, and gets its
payment request once the account exists; configuration names only agencies that exist (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from payments_support import AGENCY, PROCEDURE, Harness, new_code, published, status_change, submission

from dvc_common.events import AgencyUpserted, FeeLine, NationalStatus, ProcedureAgency
from dvc_common.principal import Principal
from dvc_common.problems import Problem
from dvc_payments.domain.fees import Fee
from dvc_payments.service import fee_schedules

WARD = "000.26.01.H56"  # a ward performing the procedure too
WARD_TREASURY = "000.26.00.H56"  # whose account receives the ward's fees
OPERATOR = Principal(
    subject="officer-op", kind="officer", name="Vận Hành", roles=frozenset({"provincial_operator"})
)
ACCOUNT = dict(
    account_number="3511.0.7654321", account_name="UBND phường", bank_code="KBNN", bank_name="KBNN"
)


def two_agencies() -> list[ProcedureAgency]:
    return [
        ProcedureAgency(
            agency_id=AGENCY,
            agency_name="Sở Xây dựng tỉnh Lai Châu",
            fees=[FeeLine(kind="le_phi", name="Lệ phí cấp phép (sở)", amount=150_000)],
        ),
        ProcedureAgency(
            agency_id=WARD,
            agency_name="UBND phường Tân Phong",
            fees=[FeeLine(kind="le_phi", name="Lệ phí cấp phép (phường)", amount=50_000)],
            beneficiary_agency_id=WARD_TREASURY,
        ),
    ]


async def ward_obligation(p: Harness, code: str) -> None:
    async with p.transaction() as session:
        await p.payments.record_submission(session, submission(code, agency_id=WARD))
    async with p.transaction() as session:
        change = status_change(code, NationalStatus.FINANCIAL_OBLIGATION).model_copy(
            update={"agency_id": WARD}
        )
        await p.payments.follow_status(session, change)


async def test_each_performing_agency_charges_its_own_fees_into_the_named_account(payments: Harness) -> None:
    async with payments.transaction() as session:
        await payments.payments.adopt_catalog_fees(session, published(two_agencies()))
        await payments.payments.set_account(session, agency_id=WARD_TREASURY, author="op", **ACCOUNT)
    code = new_code()
    await ward_obligation(payments, code)
    (event,) = await payments.events("payment.requested.v1")
    assert event["dossier_code"] == code and event["agency_id"] == WARD and event["amount"] == 50_000
    assert [f["name"] for f in event["fee_lines"]] == ["Lệ phí cấp phép (phường)"]
    (request,) = await payments.rows("SELECT * FROM payments_request WHERE dossier_code = :c", c=code)
    assert request["account"]["account_number"] == "3511.0.7654321"


async def test_no_account_is_a_configuration_problem_then_the_request_follows_the_account(
    payments: Harness,
) -> None:
    async with payments.transaction() as session:
        await payments.payments.adopt_catalog_fees(session, published(two_agencies()))
    code = new_code()
    await ward_obligation(payments, code)  # no exception: nothing dead-letters
    assert await payments.events("payment.requested.v1") == []
    (waiting,) = await payments.waiting()
    assert (waiting["dossier_code"], waiting["missing"], waiting["account_agency_id"]) == (
        code,
        "beneficiary_account",
        WARD_TREASURY,
    )
    async with payments.transaction() as session:
        problems = await fee_schedules.configuration_problems(session, OPERATOR, None)
        assert [p.dossier_code for p in problems] == [code]
        treasurer = Principal(
            subject="officer-w", kind="officer", agency_id=WARD_TREASURY, roles=frozenset({"agency_admin"})
        )
        assert [
            p.dossier_code for p in await fee_schedules.configuration_problems(session, treasurer, None)
        ] == [code]
        stranger = Principal(
            subject="officer-x", kind="officer", agency_id="000.00.03.H56", roles=frozenset({"agency_admin"})
        )
        with pytest.raises(Problem) as refused:
            await fee_schedules.configuration_problems(session, stranger, WARD_TREASURY)
        assert refused.value.status == 403
    async with payments.transaction() as session:
        await fee_schedules.configure_account(
            payments.payments, session, OPERATOR, agency_id=WARD_TREASURY, **ACCOUNT
        )
    (event,) = await payments.events("payment.requested.v1")
    assert event["dossier_code"] == code and event["amount"] == 50_000
    assert await payments.waiting() == []


async def test_configuration_refuses_unknown_agencies(payments: Harness) -> None:
    async with payments.transaction() as session:
        await payments.payments.adopt_catalog_fees(session, published())
    lines = [Fee("le_phi", "Lệ phí", 10_000)]
    for call in (
        lambda s: fee_schedules.configure_account(
            payments.payments, s, OPERATOR, agency_id="999.99.99.H56", **ACCOUNT
        ),
        lambda s: fee_schedules.configure_fee_schedule(
            payments.payments,
            s,
            OPERATOR,
            procedure_code=PROCEDURE,
            agency_id="999.99.99.H56",
            lines=lines,
            postal_fee=None,
            upfront=False,
        ),
        lambda s: fee_schedules.configure_fee_schedule(
            payments.payments,
            s,
            OPERATOR,
            procedure_code="9.999999.000.00.00.H56",
            agency_id=AGENCY,
            lines=lines,
            postal_fee=None,
            upfront=False,
        ),
    ):
        with pytest.raises(Problem) as refused:
            async with payments.transaction() as session:
                await call(session)
        assert refused.value.status == 404 and "cơ quan" in (refused.value.detail or "")
    # An agency of identity's tree that performs nothing yet may still get its account.
    async with payments.transaction() as session:
        await payments.payments.record_agency(
            session,
            AgencyUpserted(
                agency_id="000.00.03.H56",
                name="Sở Tư pháp",
                level="department",
                parent_id=None,
                active=True,
                updated_at=datetime.now(UTC),
            ),
        )
        await fee_schedules.configure_account(
            payments.payments, session, OPERATOR, agency_id="000.00.03.H56", **ACCOUNT
        )
