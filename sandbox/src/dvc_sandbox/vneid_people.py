"""Test identities shared by the VNeID and population-database simulators (fictitious people).

A person with `"vneid": False` is in the population database but has no VNeID account yet (the
one-stop desk must help them create one before a counter dossier can go to their data store).
"""

from __future__ import annotations

from typing import Any

CITIZENS: list[dict[str, Any]] = [
    {
        "personal_id": "012345678901",
        "name": "Nguyễn Văn An",
        "birthdate": "1985-03-12",
        "gender": "Nam",
        "address": "Tổ 5, phường Tân Phong, tỉnh Lai Châu",
        "loa": 2,
    },
    {
        "personal_id": "012345678902",
        "name": "Trần Thị Bình",
        "birthdate": "1992-11-04",
        "gender": "Nữ",
        "address": "Bản Nà Khuy, xã Tam Đường, tỉnh Lai Châu",
        "loa": 2,
    },
    {
        "personal_id": "011200004567",
        "name": "Lò Văn Sướng",
        "birthdate": "1978-07-21",
        "gender": "Nam",
        "address": "Bản Phiêng Phát, xã Than Uyên, tỉnh Lai Châu",
        "loa": 1,
    },
    {
        "personal_id": "011300009876",
        "name": "Giàng Thị Mỷ",
        "birthdate": "2001-01-30",
        "gender": "Nữ",
        "address": "Bản Sì Thâu Chải, xã Sìn Hồ, tỉnh Lai Châu",
        "loa": 2,
    },
    {
        "personal_id": "011400001234",
        "name": "Vàng A Dình",
        "birthdate": "1969-05-15",
        "gender": "Nam",
        "address": "Bản Hua Bum, xã Bum Nưa, tỉnh Lai Châu",
        "loa": 1,
    },
    {
        "personal_id": "011400005678",
        "name": "Lù Thị Pà",
        "birthdate": "1958-09-02",
        "gender": "Nữ",
        "address": "Bản Nậm Ngà, xã Mù Cả, tỉnh Lai Châu",
        "loa": 1,
        "vneid": False,
    },
]

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "tax_code": "6200012345",
        "organisation_name": "Công ty TNHH Xây dựng Tây Bắc",
        "representative_id": "012345678901",
        "name": "Nguyễn Văn An",
        "loa": 2,
    },
    {
        "tax_code": "6200067890",
        "organisation_name": "Hợp tác xã Chè Tân Uyên",
        "representative_id": "012345678902",
        "name": "Trần Thị Bình",
        "loa": 2,
    },
]


def vneid_claims(login: str) -> dict[str, Any] | None:
    """The claims VNeID holds for a 12-digit personal ID or a tax code (organisation account)."""
    for person in CITIZENS:
        if person["personal_id"] == login and person.get("vneid", True):
            return {
                "sub": f"vneid-c-{login}",
                "account_type": "citizen",
                "personal_id": login,
                "name": person["name"],
                "birthdate": person["birthdate"],
                "gender": person["gender"],
                "loa": person["loa"],
            }
    for org in ORGANISATIONS:
        if org["tax_code"] == login:
            return {
                "sub": f"vneid-o-{login}",
                "account_type": "organisation",
                "tax_code": login,
                "organisation_name": org["organisation_name"],
                "personal_id": org["representative_id"],
                "name": org["name"],
                "loa": org["loa"],
            }
    return None
