"""Issue 16, Medium (privileged peers): a temporary password went back to the actor who created the
account or reset its password. Now identity sends it (officer.credentials_issued.v1, internal) and
notify mails it to the holder's own address only: the actor's answer has no password, the holder's
mail has it and it works once, and notify keeps no copy of it (database, delivery log, its own logs).
"""

from __future__ import annotations

import asyncio
import re

import asyncpg
import httpx
from test_journey_notify import Accounts, wait_mail

from dvc_devkit.devstack import Stack
from e2e_support import db_scalar, mailed_password


def _tables_holding(stack: Stack, secret: str) -> list[str]:
    """Every table of notify's database with a row whose text contains `secret`."""

    async def scan() -> list[str]:
        url = stack.config.database_url("notify").replace("postgresql+asyncpg", "postgresql")
        conn = await asyncpg.connect(url)
        try:
            tables = await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                " AND table_type = 'BASE TABLE'"
            )
            found = []
            for row in tables:
                name = row["table_name"]
                hit = await conn.fetchval(
                    f'SELECT count(*) FROM "{name}" t WHERE row_to_json(t)::text LIKE $1',
                    f"%{secret}%",
                )
                if hit:
                    found.append(name)
            return found
        finally:
            await conn.close()

    return asyncio.run(scan())


def test_temporary_password_reaches_only_the_holder_and_is_never_kept(stack: Stack) -> None:
    accounts = Accounts(stack)
    holder = accounts.officer("000.00.14.H56", ["one_stop_officer"], "Lò Thị Mai")

    # What the administrator who created the account got back: no password.
    assert "temporary_password" not in holder.created
    assert holder.temporary_password not in str(holder.created)
    mail = wait_mail(stack, holder.email, "Tài khoản", what="the account letter")
    assert mail["subject"] == "Tài khoản của Ông/Bà trên Hệ thống một cửa điện tử đã được cấp"
    assert "Kính gửi Ông/Bà Lò Thị Mai" in mail["text"] and "đổi mật khẩu ngay" in mail["text"]

    # A reset: the administrator's answer has none either; the holder's new letter has the new one.
    admin = accounts.admin("000.00.14.H56")
    reset = httpx.post(
        stack.url("identity") + f"/api/v1/officers/{holder.id}/reset-password", headers=admin, timeout=30
    )
    assert reset.status_code == 200, reset.text
    assert "temporary_password" not in reset.text
    again = wait_mail(stack, holder.email, "đặt lại", what="the reset letter")
    assert again["subject"] == "Mật khẩu tài khoản của Ông/Bà đã được đặt lại"
    renewed = mailed_password(stack, holder.email, letters=2)
    assert renewed != holder.temporary_password and renewed in again["text"]
    assert renewed not in reset.text
    accounts.first_login(holder.username, renewed)  # it works, for the holder

    for secret in (holder.temporary_password, renewed):
        assert _tables_holding(stack, secret) == [], "notify keeps no copy of a temporary password"
        log = (stack.log_dir / "notify.log").read_text(encoding="utf-8")
        assert secret not in log
    # What notify keeps of those letters: sent, with the password masked.
    kept = db_scalar(
        stack,
        "notify",
        "SELECT string_agg(body_text, '|') FROM notify_delivery WHERE audience = 'account' AND recipient = $1"
        " AND status = 'sent'",
        holder.email,
    )
    assert kept is not None and kept.count("[mật khẩu tạm thời đã ẩn]") == 2
    assert not re.search(r"Mật khẩu tạm thời: (?!\[)", kept)
