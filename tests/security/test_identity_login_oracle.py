"""Issue 16, Low: a 423 told an attacker that an account exists. Against the real stack, five wrong
passwords lock the account for a while, and from then on the answer is exactly the one an unknown
username gets (status, type, title, message), whatever the password; the holder reads in that
message that the account may be temporarily locked. Token responses are never cached."""

from __future__ import annotations

from test_journey_notify import PASSWORD, Accounts

from dvc_devkit.devstack import Stack

XD = "000.00.14.H56"


def test_a_locked_account_answers_like_an_unknown_one(stack: Stack) -> None:
    accounts = Accounts(stack)
    identity = accounts.identity
    officer = accounts.officer(XD, ["processing_officer"], "Lò Văn Khóa")
    signed_in = identity.post("/api/v1/auth/login", json={"username": officer.username, "password": PASSWORD})
    answers = [
        identity.post("/api/v1/auth/login", json={"username": officer.username, "password": f"sai-{i}"})
        for i in range(5)
    ]
    unknown = identity.post("/api/v1/auth/login", json={"username": "khong.ton.tai.ai", "password": "sai-4"})
    with_right_password = identity.post(
        "/api/v1/auth/login", json={"username": officer.username, "password": PASSWORD}
    )
    for answer in [*answers, with_right_password]:
        assert answer.status_code == unknown.status_code == 401
        assert answer.json() == unknown.json()
        assert answer.headers["content-type"] == unknown.headers["content-type"]
    assert "tạm khóa" in unknown.json()["detail"]
    shown = identity.get(f"/api/v1/officers/{officer.id}", headers=accounts.admin(XD)).json()
    assert shown["temporarily_locked_until"] is not None  # it is locked, just not said to strangers
    assert signed_in.status_code == 200 and signed_in.headers["cache-control"] == "no-store"
    assert signed_in.headers["pragma"] == "no-cache"
    refreshed = identity.post(
        "/api/v1/auth/refresh", json={"refresh_token": signed_in.json()["refresh_token"]}
    )
    assert refreshed.status_code == 200 and refreshed.headers["cache-control"] == "no-store"
