"""The catalog as workflow publishes it: the e-form schema and the performing agencies reach
`procedure.published.v1` (issue 15, contract K1)."""

from __future__ import annotations

from workflow_support import Workflow

from dvc_common.events import ProcedurePublished
from dvc_workflow.domain.catalog import load_catalog
from dvc_workflow.settings import SEED_CATALOG

CRIMINAL_RECORD = "2.000488.000.00.00.H56"  # Phiếu lý lịch tư pháp: has an e-form


async def test_published_procedure_carries_the_eform_schema_and_its_agencies(workflow: Workflow) -> None:
    catalog = {p.code: p for p in load_catalog(SEED_CATALOG)}
    announced = {
        e["code"]: ProcedurePublished.model_validate(e)
        for e in await workflow.events("procedure.published.v1")
    }
    assert set(announced) == set(catalog)
    for code, procedure in catalog.items():
        event = announced[code]
        assert event.form_schema == procedure.eform_schema, code
        assert procedure.agency_id in {a.agency_id for a in event.agencies}, code
    criminal = announced[CRIMINAL_RECORD]
    assert criminal.form_schema is not None and criminal.form_schema.get("properties")
    own = next(a for a in criminal.agencies if a.agency_id == criminal.agency_id)
    assert own.fees == criminal.fees and own.agency_name
