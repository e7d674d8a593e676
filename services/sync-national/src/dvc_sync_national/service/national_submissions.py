"""National submissions: dossiers submitted on the national portal, handed to intake once each."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import NATIONAL_DOSSIER_RECEIVED, NationalDossierReceived, NationalFile
from dvc_common.outbox import Outbox
from dvc_sync_national.models import InboundDossier
from dvc_sync_national.portal import PortalClient
from dvc_sync_national.repository import SyncRepository
from dvc_sync_national.service.clock import now as _now

log = logging.getLogger(__name__)


def national_dossier(item: dict[str, Any]) -> NationalDossierReceived:
    """The portal's submission (national field names) as our internal event payload."""
    return NationalDossierReceived(
        national_reference=str(item["MaHoSoQG"]),
        procedure_code=str(item["MaTTHC"]),
        applicant_name=str(item["ChuHoSo"]),
        applicant_kind=int(item.get("LoaiDoiTuong") or 1),
        identity_number=item.get("SoGiayTo") or None,
        email=item.get("Email") or None,
        phone=item.get("SoDienThoai") or None,
        summary=item.get("TrichYeuHoSo") or None,
        submitted_at=datetime.strptime(str(item["NgayNopHoSo"]), "%Y%m%d%H%M%S").replace(
            tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
        ),
        files=[_national_file(f) for f in item.get("TaiLieuNop") or []],
    )


def _national_file(f: dict[str, Any]) -> NationalFile:
    return NationalFile(
        name=str(f["TenTepDinhKem"]),
        content_type=str(f.get("LoaiTep") or "application/pdf"),
        size=int(f.get("KichThuoc") or 0),
        sha256=str(f.get("MaBam") or ""),
        url=str(f.get("DuongDan") or ""),
    )


async def fetch_inbound(
    session: AsyncSession, outbox: Outbox, portal: PortalClient, *, limit: int = 100
) -> int:
    """Fetch new national submissions and hand each to intake once (event and cursor commit together).

    One replica at a time (the inbound job runs under its lease); the cursor is the highest stored.
    """
    repo = SyncRepository(session)
    cursor = await repo.inbound_cursor()
    handed = 0
    for item in await portal.inbound(cursor, limit):
        try:
            payload = national_dossier(item)
        except (KeyError, ValueError, ValidationError) as exc:
            log.error(
                "national submission unreadable; skipped", extra={"item": str(item)[:500], "error": str(exc)}
            )
            payload = None
        fresh = await repo.add_inbound(
            InboundDossier(
                national_reference=str(item.get("MaHoSoQG", f"cursor-{item['cursor']}")),
                portal_cursor=int(item["cursor"]),
                procedure_code=str(item.get("MaTTHC", ""))[:64],
                fetched_at=_now(),
            )
        )
        if fresh and payload is not None:
            await outbox.add(session, NATIONAL_DOSSIER_RECEIVED, payload, subject=payload.national_reference)
            handed += 1
            log.info(
                "national dossier handed to intake", extra={"national_reference": payload.national_reference}
            )
    return handed
