"""Reading a dossier: its detail, its documents, and the read check that slips, receipts and results
share (owner, handling agency, auditors; the same 404 for anyone else)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.access import DossierFacts, may_read_dossier
from dvc_common.principal import Principal
from dvc_intake import errors
from dvc_intake.models import Dossier, DossierFile
from dvc_intake.repository import IntakeRepository
from dvc_intake.schemas import (
    ApplicantView,
    AuthorisedPersonView,
    ComponentView,
    DossierDetail,
    FileView,
    SupplementRoundView,
)


@dataclass(frozen=True)
class DossierView:
    dossier: Dossier
    procedure_name: str | None
    files: list[DossierFile]
    # Whether the caller may read the whole dossier (shared access policy: owner, handling agency,
    # auditors); otherwise only its public state, with no personal data and no file names.
    full: bool = False
    components: list[str] | None = None  # the procedure's components, for grouping the files


async def get_dossier(session: AsyncSession, code: str, principal: Principal | None = None) -> DossierView:
    """The whole dossier for those who may read it; a dossier with no owner (filed at the counter for
    someone without VNeID) shows its public state to anyone; an owned one to nobody else (404)."""
    repo = IntakeRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise errors.dossier_not_found(code)
    full = principal is not None and _may_read(principal, dossier)
    if dossier.owner_subject is not None and not full:
        raise errors.dossier_not_found(code)
    procedure = await repo.procedure(dossier.procedure_code)
    return DossierView(
        dossier,
        procedure.name if procedure else None,
        await repo.dossier_files(code) if full else [],
        full=full,
        components=procedure.components if procedure else None,
    )


async def readable_dossier(repo: IntakeRepository, principal: Principal, code: str) -> Dossier:
    """The dossier, if `principal` may read it (owner, handling agency, auditors); otherwise the same
    404 as for a dossier that does not exist (no existence oracle)."""
    dossier = await repo.dossier(code)
    if dossier is None or not _may_read(principal, dossier):
        raise errors.dossier_not_found(code)
    return dossier


def _may_read(principal: Principal, dossier: Dossier) -> bool:
    return may_read_dossier(principal, DossierFacts.of(dossier.agency_id, dossier.owner_subject))


async def readable_file(session: AsyncSession, principal: Principal, code: str, position: int) -> DossierFile:
    """A dossier's document, for its owner, officers of the handling agency and auditors only.
    Anyone else gets the same 404 as for a dossier that does not exist (no existence oracle)."""
    repo = IntakeRepository(session)
    await readable_dossier(repo, principal, code)
    found = [f for f in await repo.dossier_files(code) if f.position == position]
    if not found:
        raise errors.file_not_found(code, position)
    if found[0].scan_status != "clean":
        raise errors.file_quarantined()
    return found[0]


APPLICANT_KINDS = {1: "Công dân", 2: "Doanh nghiệp", 3: "Cơ quan nhà nước", 4: "Tổ chức khác"}
DELIVERY_NAMES = {"online": "Trực tuyến", "counter": "Tại Bộ phận Một cửa", "post": "Qua bưu chính công ích"}


def dossier_detail(view: DossierView) -> DossierDetail:
    """The detail as the caller may see it: whole for readers, the public state otherwise."""
    d = view.dossier
    detail = DossierDetail(
        code=d.code,
        procedure_code=d.procedure_code,
        procedure_name=view.procedure_name,
        agency_id=d.agency_id,
        channel=d.channel,
        status=d.status,
        status_name=d.status_name,
        submitted_at=d.submitted_at,
        updated_at=d.updated_at,
    )
    if not view.full:
        return detail
    files = [FileView.model_validate(f) for f in view.files]
    submitted = [f for f in files if f.kind == "component" and f.supplement_round == 0]
    names = view.components or []
    groups = [(n, name) for n, name in enumerate(names, start=1)]
    if any(f.component is None or f.component > len(names) for f in submitted):
        groups.append((0, "Giấy tờ khác"))
    rounds = sorted({f.supplement_round for f in files if f.supplement_round > 0})
    return detail.model_copy(
        update={
            "full": True,
            "files": files,
            "applicant": ApplicantView(
                name=d.applicant_name,
                kind=d.applicant_kind,
                kind_name=APPLICANT_KINDS.get(d.applicant_kind, str(d.applicant_kind)),
                identifier=d.owner_identifier,
                identifier_kind=d.owner_kind,
                has_vneid=d.owner_subject is not None,
                email=d.email,
                phone=d.phone,
            ),
            "authorised_person": AuthorisedPersonView(
                name=d.authorised_name, identifier=d.authorised_identifier
            )
            if d.authorised_name and d.authorised_identifier
            else None,
            "eform": d.eform,
            "result_delivery": d.result_delivery,
            "result_delivery_name": DELIVERY_NAMES.get(d.result_delivery) if d.result_delivery else None,
            "postal_address": d.postal_address,
            "components": [
                ComponentView(
                    position=n,
                    name=name,
                    files=[
                        f
                        for f in submitted
                        if (f.component or 0) == n or (n == 0 and (f.component or 0) > len(names))
                    ],
                )
                for n, name in groups
            ],
            "supplements": [
                SupplementRoundView(
                    supplement_round=r,
                    files=[f for f in files if f.supplement_round == r and f.kind == "component"],
                )
                for r in rounds
            ],
            "results": [f for f in files if f.kind == "result"],
        }
    )
