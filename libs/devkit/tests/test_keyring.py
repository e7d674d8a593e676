"""The shared stand-in for identity issues tokens the platform's verifier accepts, for every kind of caller."""

from __future__ import annotations

import jwt
import pytest

from dvc_common.principal import Principal
from dvc_devkit.identity import AGENCY, KeyRing, bearer


async def test_officer_citizen_and_organisation_tokens_verify_to_their_principal() -> None:
    ring = KeyRing()
    verify = ring.verifier().verify
    officer = await verify(
        ring.token("one_stop_officer", "processing_officer", sub="o-1", position="Chuyên viên")
    )
    assert officer == Principal(
        subject="o-1",
        kind="officer",
        name="Trần Thị Hoa",
        agency_id=AGENCY,
        roles=frozenset({"one_stop_officer", "processing_officer"}),
        position="Chuyên viên",
    )
    citizen = await verify(ring.token(sub="vneid:1", kind="citizen"))
    assert citizen.kind == "citizen" and citizen.agency_id is None and citizen.roles == frozenset()
    assert ring.citizen("vneid:1")["Authorization"].startswith("Bearer ")
    assert ring.officer("auditor", agency=None) != ring.organisation()
    assert bearer("t") == {"Authorization": "Bearer t"}


async def test_rotated_keys_are_published_and_a_stranger_is_refused() -> None:
    ring = KeyRing(issuer="https://dinh-danh.test", kid="a")
    verifier = ring.verifier()
    ring.add("b")
    assert (await verifier.verify(ring.token(kid="b", sub="x"))).subject == "x"
    assert [k["kid"] for k in ring.jwks_document()["keys"]] == ["a", "b"]
    with pytest.raises(jwt.InvalidTokenError):
        await verifier.verify(KeyRing(kid="a").token(sub="x"))
    with pytest.raises(jwt.InvalidTokenError):
        await KeyRing().verifier().verify(ring.token(sub="x"))  # another issuer
