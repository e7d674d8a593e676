"""`dvc-identity`: bootstrap the first provincial operator, rotate signing keys."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta

import httpx

from dvc_common.auth import Role
from dvc_common.db import make_engine, unit_of_work
from dvc_common.outbox import outbox_for
from dvc_identity.hashing import Passwords
from dvc_identity.keys import KeyRing
from dvc_identity.oidc import VneidClient
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import OfficerIn
from dvc_identity.service.agencies import load_seed
from dvc_identity.service.audit import record
from dvc_identity.service.context import Identity, Origin
from dvc_identity.service.officers import create_officer
from dvc_identity.settings import IdentitySettings
from dvc_identity.throttle import AddressThrottle

OPERATOR_AGENCY = "000.00.01.H56"  # Văn phòng UBND tỉnh


async def _bootstrap(args: argparse.Namespace) -> int:
    settings = IdentitySettings()
    engine = make_engine(settings.database_url.get_secret_value())
    uow = unit_of_work(engine)
    http = httpx.AsyncClient()  # the bootstrap talks to no one; the context just needs one
    ctx = Identity(
        settings=settings,
        outbox=outbox_for(settings),
        keys=KeyRing(engine, settings.signing_key_passphrase.get_secret_value(), token_lifetime=timedelta(0)),
        passwords=Passwords(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        ),
        vneid=VneidClient(
            http,
            issuer=settings.vneid_url,
            client_id=settings.vneid_client_id,
            client_secret="",
            redirect_uri=settings.vneid_redirect_uri,
        ),
        http=http,
        throttle=AddressThrottle(1, 1),
    )
    try:
        async with uow() as session:
            await load_seed(session, ctx)
            if await IdentityRepository(session).officer_by_username(args.username) is not None:
                print(f"Tài khoản {args.username} đã tồn tại.", file=sys.stderr)
                return 1
            created = await create_officer(
                session,
                ctx,
                None,
                OfficerIn(
                    username=args.username,
                    agency_id=args.agency,
                    full_name=args.name,
                    position="Quản trị hệ thống cấp tỉnh",
                    roles=[Role.PROVINCIAL_OPERATOR, Role.AGENCY_ADMIN],
                ),
                Origin("cli", "dvc-identity"),
            )
        print(created.temporary_password)
        return 0
    finally:
        await http.aclose()
        await engine.dispose()


async def _rotate(_: argparse.Namespace) -> int:
    settings = IdentitySettings()
    engine = make_engine(settings.database_url.get_secret_value())
    keys = KeyRing(
        engine,
        settings.signing_key_passphrase.get_secret_value(),
        token_lifetime=timedelta(seconds=settings.access_token_seconds),
    )
    try:
        async with unit_of_work(engine)() as session:
            kid = await keys.rotate(session)
            await record(
                session,
                "signing_key.rotated",
                actor=None,
                actor_kind="system",
                target=kid,
                origin=Origin("cli", "dvc-identity"),
            )
        print(kid)
        return 0
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dvc-identity", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    boot = commands.add_parser(
        "bootstrap-operator",
        help="create the first provincial operator account; prints its temporary password",
    )
    boot.add_argument("username")
    boot.add_argument("--name", default="Quản trị hệ thống")
    boot.add_argument("--agency", default=OPERATOR_AGENCY)
    boot.set_defaults(run=_bootstrap)
    rotate = commands.add_parser("rotate-keys", help="add a new signing key and retire the current one")
    rotate.set_defaults(run=_rotate)
    args = parser.parse_args(argv)
    code: int = asyncio.run(args.run(args))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
