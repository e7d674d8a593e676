"""The people of an attack, made the way the real ones are: officers appointed through identity (an
operator bootstrapped by the CLI appoints each agency's administrator, who creates the officer), and
citizens signed in through the VNeID simulator."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from dvc_devkit.devstack import Stack
from e2e_support import PDF, component_files, eventually, mailed_password

PASSWORD = "Lai-Chau-2026-bao-mat!"
# Two agencies and one procedure of each (workflow's seed catalog).
AGENCY_A, PROCEDURE_A = "000.00.14.H56", "1.003560.000.00.00.H56"  # Sở Xây dựng
AGENCY_B, PROCEDURE_B = "000.00.10.H56", "1.009994.000.00.00.H56"  # Sở Văn hóa, Thể thao và Du lịch
OTHER_AGENCY = "000.00.03.H56"  # Sở Tư pháp: handles none of the dossiers above


@dataclass(frozen=True)
class Citizen:
    headers: dict[str, str]
    subject: str


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def subject_of(headers: dict[str, str]) -> str:
    """The token's `sub` (read, not verified: the test only names the person)."""
    payload = headers["Authorization"].split()[1].split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(claims["sub"])


class People:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.identity = httpx.Client(base_url=stack.url("identity"), timeout=30)
        self._operator: dict[str, str] | None = None
        self._admins: dict[str, dict[str, str]] = {}

    def operator(self) -> dict[str, str]:
        if self._operator is None:
            username = f"sec.quantri{uuid.uuid4().hex[:6]}"
            temporary = subprocess.run(
                [str(Path(sys.executable).parent / "dvc-identity"), "bootstrap-operator", username],
                env=self.stack.env, check=True, capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
            self._operator = bearer(self._first_login(username, temporary))
        return self._operator

    def officer(self, agency: str, *roles: str) -> dict[str, str]:
        """A new officer of `agency` with `roles`, signed in."""
        if agency not in self._admins:
            self._admins[agency] = self._appoint(self.operator(), agency, ["agency_admin"])
        return self._appoint(self._admins[agency], agency, list(roles))

    def citizen(self, personal_id: str) -> Citizen:
        """A citizen signed in with VNeID (the simulator's people: vneid_people.py)."""
        start = self.identity.get("/api/v1/citizen/login")
        params = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
        back = httpx.post(
            start.headers["location"].split("?")[0],
            data=params | {"account": personal_id, "decision": "allow"},
            timeout=30,
        )
        done = self.identity.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
        assert done.status_code == 200, done.text
        headers = bearer(done.json())
        return Citizen(headers, subject_of(headers))

    def _appoint(self, appointer: dict[str, str], agency: str, roles: list[str]) -> dict[str, str]:
        username = f"sec.{uuid.uuid4().hex[:8]}"
        created = self.identity.post(
            "/api/v1/officers",
            headers=appointer,
            json={
                "username": username,
                "agency_id": agency,
                "full_name": "Lò Văn Tâm",
                "position": "Công chức",
                "roles": roles,
                "email": f"{username}@laichau.gov.vn",
            },
        )
        assert created.status_code == 201, created.text
        temporary = mailed_password(self.stack, f"{username}@laichau.gov.vn")
        return bearer(self._first_login(username, temporary))

    def _first_login(self, username: str, temporary: str) -> dict[str, Any]:
        tokens: dict[str, Any] = self.identity.post(
            "/api/v1/auth/password",
            json={"username": username, "current_password": temporary, "new_password": PASSWORD},
        ).json()
        return tokens


def submit_online(
    stack: Stack,
    headers: dict[str, str] | None,
    *,
    procedure_code: str,
    file: tuple[str, bytes] = ("don-de-nghi.pdf", PDF),
    **fields: Any,
) -> str:
    """A dossier submitted online by a signed-in citizen (`file` first, then a PDF for each further
    component the procedure lists); its code once intake has it."""
    form = {"procedure_code": procedure_code, "applicant_name": "Giàng Thị Mỷ", **fields}
    intake = stack.url("intake")

    def submitted() -> httpx.Response | None:
        parts = [(file[0], file[1], "application/pdf"), *component_files(stack, procedure_code)[1:]]
        response = httpx.post(
            f"{intake}/api/v1/dossiers",
            data={"dossier": json.dumps(form, ensure_ascii=False)},
            files=[("files", part) for part in parts],
            headers=headers or {},
            timeout=30,
        )
        # 422 unknown-procedure until intake has heard of the catalog.
        return response if response.status_code != 422 or "unknown-procedure" not in response.text else None

    response = eventually(submitted, what=f"intake knows {procedure_code}")
    assert response.status_code == 201, response.text
    code: str = response.json()["code"]
    return code
