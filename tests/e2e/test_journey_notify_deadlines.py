"""Officers are told what needs them as the clock runs (the workflow scheduler's deadline events,
through RabbitMQ into notify, read as the SMTP sink received them): the online dossier nobody
received in 8 working hours goes to the one-stop desk of the agency receiving for the performing
one (the provincial centre for a department); the step past its budget, the appointment's day and
the appointment passed go to the officer the dossier was assigned to.

The clock never moves back, so this module has a stack of its own (the clock tests' fixture).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from clock_support import AGENCY, PASSWORD, Dossier, People, vn
from test_e2e_clock import stack
from test_journey_notify import CENTRE, PROCEDURE_NAME, wait_mail

from dvc_devkit.devstack import Stack
from e2e_support import mailed_password, mails_to

__all__ = ["stack"]  # the module's own stack (its clock moves), from the clock tests


class MailedPeople(People):
    """The clock tests' people (Sở Xây dựng's one-stop officer and leader), with their own e-mail
    addresses, each temporary password read from its letter; and the provincial centre's desk."""

    def __init__(self, stack: Stack) -> None:
        self.ids: dict[str, str] = {}
        self.emails: dict[str, str] = {}
        super().__init__(stack)
        suffix = self.usernames["operator"].rsplit(".", 1)[-1]
        self.usernames |= {"centre_admin": f"e2e.dh.ttqt{suffix}", "desk": f"e2e.dh.tt{suffix}"}
        with self.identity() as client:
            admin = self._officer(
                client,
                self.officer("operator"),
                "centre_admin",
                "Quản trị Trung tâm",
                ["agency_admin"],
                CENTRE,
            )
            self._officer(client, admin, "desk", "Lò Thị Mai", ["one_stop_officer"], CENTRE)

    def _officer(
        self,
        client: httpx.Client,
        by: dict[str, str],
        who: str,
        name: str,
        roles: list[str],
        agency: str = AGENCY,
    ) -> dict[str, str]:
        email = f"{self.usernames[who]}@laichau.gov.vn"
        created = client.post(
            "/api/v1/officers",
            headers=by,
            json={
                "username": self.usernames[who],
                "agency_id": agency,
                "full_name": name,
                "position": "Công chức",
                "roles": roles,
                "email": email,
            },
        )
        assert created.status_code == 201, created.text
        body: dict[str, Any] = created.json()
        self.ids[who], self.emails[who] = str((body.get("officer") or body)["id"]), email
        temporary = mailed_password(self.stack, email)
        changed = client.post(
            "/api/v1/auth/password",
            json={
                "username": self.usernames[who],
                "current_password": temporary,
                "new_password": PASSWORD,
            },
        )
        assert changed.status_code == 200, changed.text
        return {"Authorization": f"Bearer {changed.json()['access_token']}"}


@pytest.fixture(scope="module")
def people(stack: Stack) -> MailedPeople:
    return MailedPeople(stack)


def _letters(stack: Stack, email: str, words: str) -> list[dict[str, Any]]:
    return [m for m in mails_to(stack, email) if words in m["subject"]]


def test_officers_hear_of_the_deadlines_of_their_dossiers(stack: Stack, people: MailedPeople) -> None:
    desk, leader = people.emails["desk"], people.emails["leader"]
    people.set_clock(vn(2027, 3, 6, 22, 0), frozen=False)  # Saturday night: due Monday 17:00
    dossier = Dossier(stack, people)
    code = dossier.code
    wait_mail(stack, desk, code, what="the desk's letter about the new online dossier")

    people.set_clock(vn(2027, 3, 8, 16, 59))
    assert _letters(stack, desk, "quá hạn tiếp nhận") == []
    people.set_clock(vn(2027, 3, 8, 17, 1))
    late = wait_mail(stack, desk, "quá hạn tiếp nhận", what="the desk told the dossier waits too long")
    assert late["subject"] == f"Hồ sơ {code}: quá hạn tiếp nhận (17:00 08/03/2027)"
    assert "Kính gửi Ông/Bà Lò Thị Mai" in late["text"] and PROCEDURE_NAME in late["text"]
    assert "Đề nghị Ông/Bà xử lý ngay" in late["text"] and f"/can-bo/ho-so/{code}" in late["text"]
    assert _letters(stack, leader, code) == [], "nobody of the handling department was told yet"

    # Received on Tuesday and assigned to the leader, who hears of every deadline from then on.
    people.set_clock(vn(2027, 3, 9, 8, 0))
    accepted = dossier.act("accept", people.one_stop)
    assert accepted.status_code == 200, accepted.text
    appointment = datetime.fromisoformat(accepted.json()["appointment_at"])
    assigned = dossier.act(
        "assign", people.leader, assignee_subject=people.ids["leader"], assignee_name="Nguyễn Văn Bình"
    )
    assert assigned.status_code == 200, assigned.text
    step_due = datetime.fromisoformat(dossier.queue_item()["due_at"])

    moments = sorted(
        [
            (step_due + timedelta(minutes=1), "bước xử lý quá hạn"),
            (appointment.replace(hour=7, minute=1), "đến hạn trả kết quả"),
            (appointment + timedelta(minutes=1), "quá hạn trả kết quả"),
        ]
    )
    for at, words in moments:
        people.set_clock(at)
        letter = wait_mail(stack, leader, words, what=f"the leader's letter: {words}")
        assert letter["subject"].startswith(f"Hồ sơ {code}: "), letter["subject"]
        assert "Kính gửi Ông/Bà Nguyễn Văn Bình" in letter["text"] and PROCEDURE_NAME in letter["text"]
    overdue = _letters(stack, leader, "quá hạn trả kết quả")
    assert [m["subject"] for m in overdue] == [
        f"Hồ sơ {code}: quá hạn trả kết quả ({appointment:%H:%M %d/%m/%Y})"
    ]
    assert _letters(stack, desk, "trả kết quả") == [], "the assigned officer is told, not the whole desk"
