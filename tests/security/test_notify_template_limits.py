"""Issue 16, 5xx: a template preview with `range(10**9)` answered 500 (and other drafts could hold a
worker or fill its memory). Rendering is now bounded in time and output size: the provincial
operator gets a Vietnamese problem naming the limit, for the preview and for saving, and notify
keeps answering."""

from __future__ import annotations

import httpx
import pytest
from test_journey_notify import Accounts

from dvc_devkit.devstack import Stack

UNBOUNDED = {
    "range": "{% for i in range(10**9) %}x{% endfor %}",
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "repetition": "{{ 'x' * 10**9 }}",
    "power": "{{ 10 ** (10 ** 10) }}",
    "width": "{{ '%1000000000s' | format(1) }}",
    "format": "{{ '{:>1000000000}'.format(1) }}",
    "padding": "{{ 'x' | center(1000000000) }}",
    "doubling": "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    "{{ ns.s | length }}",
}


@pytest.fixture(scope="module")
def operator(stack: Stack) -> dict[str, str]:
    headers: dict[str, str] = dict(Accounts(stack).operator)
    return headers


@pytest.mark.parametrize("attack", sorted(UNBOUNDED))
def test_an_unbounded_template_is_refused_in_vietnamese(
    stack: Stack, operator: dict[str, str], attack: str
) -> None:
    notify = httpx.Client(base_url=stack.url("notify"), headers=operator, timeout=60)
    draft = {"subject": "Hồ sơ {{ code }}", "body_text": UNBOUNDED[attack]}
    url = "/api/v1/templates/dossier.status_changed.v1/email"
    for response in (notify.post(f"{url}/preview", json={"template": draft}), notify.put(url, json=draft)):
        assert response.status_code == 422, (attack, response.status_code, response.text[:300])
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["title"] == "Mẫu thông báo không hợp lệ"
        assert "body_text" in problem["detail"] and (
            "giới hạn" in problem["detail"] or "quá lớn" in problem["detail"]
        )
    # Nothing was saved and notify still serves.
    versions = notify.get(url).json()
    assert all(UNBOUNDED[attack] != v["body_text"] for v in versions)
    assert httpx.get(stack.url("notify") + "/readyz", timeout=10).status_code == 200


def test_an_ordinary_draft_still_previews(stack: Stack, operator: dict[str, str]) -> None:
    response = httpx.post(
        stack.url("notify") + "/api/v1/templates/payment.requested.v1/email/preview",
        json={
            "template": {
                "subject": "Hồ sơ {{ dossier_code }}: {{ amount | tien }}",
                "body_text": "{% for line in fee_lines %}{{ loop.index }}. {{ line.name }}\n{% endfor %}",
            }
        },
        headers=operator,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["subject"] == "Hồ sơ 000.00.14.H56-260223-0001: 150.000 đ"
