"""What identity keeps of a VNeID account, read from the claims of a verified ID token."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

AccountKind = Literal["citizen", "organisation"]


@dataclass(frozen=True)
class VneidAccount:
    sub: str
    kind: AccountKind
    identifier: str  # 12-digit personal identification number, or the organisation's tax code
    full_name: str
    birth_date: date | None
    assurance_level: int


def account_of(claims: Mapping[str, Any]) -> VneidAccount | None:
    """The account the claims describe; None when they do not identify a citizen or organisation."""
    kind = claims.get("account_type")
    if kind == "citizen":
        identifier, name = claims.get("personal_id"), claims.get("name", "")
    elif kind == "organisation":
        identifier, name = claims.get("tax_code"), claims.get("organisation_name")
    else:
        return None
    if not isinstance(identifier, str):
        return None
    birth = claims.get("birthdate")
    return VneidAccount(
        sub=str(claims["sub"]),
        kind=kind,
        identifier=identifier,
        full_name=str(name),
        birth_date=date.fromisoformat(birth) if isinstance(birth, str) and birth else None,
        assurance_level=int(claims.get("loa", 1)),
    )
