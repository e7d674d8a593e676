"""Rendering limits and the Vietnamese words for codes, on the renderer itself (fast; the e2e and
security suites drive the same renderer through the preview API and the real letters)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from dvc_notify.domain.rendering import EMAIL, Renderer, RenderLimits, TemplateInvalid, TemplateSource

RENDERER = Renderer(ZoneInfo("Asia/Ho_Chi_Minh"), RenderLimits(max_seconds=0.5, max_chars=10_000))


def render(body: str, **context: object) -> str:
    return RENDERER.render(TemplateSource(EMAIL, subject="s", body_text=body), context).body_text


@pytest.mark.parametrize(
    "body",
    [
        "{% for i in range(10**9) %}x{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{{ 'x' * 10**9 }}",
        "{{ 10 ** (10 ** 10) }}",
        "{{ '%1000000000s' | format(1) }}",
        "{{ '%1000000000s' % 1 }}",
        "{{ '{:>1000000000}'.format(1) }}",
        "{{ 'x' | center(1000000000) }}",
        "{{ 'x'.ljust(1000000000) }}",
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}",
        "{{ lipsum(100000) }}",
        "{{ 1 / 0 }}",
    ],
)
def test_what_cannot_end_or_is_too_big_is_a_template_error(body: str) -> None:
    with pytest.raises(TemplateInvalid) as raised:
        render(body)
    assert raised.value.part == "body_text"


def test_ordinary_templates_render() -> None:
    assert render("{% for i in range(3) %}{{ i }}{% endfor %} {{ '%s ok' | format(2) }}") == "012 2 ok"
    assert render("{{ amount | tien }}", amount=1150000) == "1.150.000 đ"
    assert render("{{ m | cach_tra_ket_qua }}", m="online") == "trực tuyến"
    assert (
        render("{{ note | ghi_chu }}", note="Trả kết quả: post")
        == "Trả kết quả qua dịch vụ bưu chính công ích"
    )
    assert render("{{ note | ghi_chu }}", note="Thiếu bản vẽ") == "Thiếu bản vẽ"
