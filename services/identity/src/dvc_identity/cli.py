"""`dvc-identity`: bootstrap the first provincial operator, rotate signing keys."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from dvc_common.db import UnitOfWork, make_engine, unit_of_work
from dvc_common.outbox import outbox_for
from dvc_identity.service.context import Identity, Origin, identity_context
from dvc_identity.service.officers import bootstrap_operator
from dvc_identity.service.signing_keys import rotate_keys
from dvc_identity.settings import IdentitySettings

OPERATOR_AGENCY = "000.00.01.H56"  # Văn phòng UBND tỉnh
CLI_ORIGIN = Origin("cli", "dvc-identity")


@asynccontextmanager
async def _identity() -> AsyncIterator[tuple[Identity, UnitOfWork]]:
    settings = IdentitySettings()
    engine = make_engine(settings.database_url.get_secret_value())
    http = httpx.AsyncClient()  # the commands talk to no one; the context just needs one
    try:
        yield (
            identity_context(settings, outbox=outbox_for(settings), engine=engine, http=http),
            unit_of_work(engine),
        )
    finally:
        await http.aclose()
        await engine.dispose()


async def _bootstrap(args: argparse.Namespace) -> int:
    async with _identity() as (ctx, uow), uow() as session:
        created = await bootstrap_operator(session, ctx, args.username, args.name, args.agency, CLI_ORIGIN)
    if created is None:
        print(f"Tài khoản {args.username} đã tồn tại.", file=sys.stderr)
        return 1
    _, temporary = created
    print(temporary)
    return 0


async def _rotate(_: argparse.Namespace) -> int:
    async with _identity() as (ctx, uow), uow() as session:
        kid = await rotate_keys(session, ctx, None, CLI_ORIGIN)
    print(kid)
    return 0


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
