"""The public web look-up page of a dossier, what the QR code on every slip opens: a small HTML page
in Vietnamese that reads on a phone. No personal data: the code, the procedure, the agency, the
status and the times of submission, receipt and appointment only.

The template is kept in this module (not a package data file) so that it ships with the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from dvc_common.pdf import text as vn


@dataclass(frozen=True)
class LookupPage:
    code: str
    procedure_name: str | None
    agency_name: str | None
    status: int
    status_name: str
    submitted_at: datetime | None
    received_at: datetime | None
    appointment_at: datetime | None
    tz: ZoneInfo


@dataclass(frozen=True)
class LookupProblem:
    """The page when there is nothing to show: unknown code, malformed code, too many look-ups."""

    title: str
    detail: str
    code: str | None = None


_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_LAYOUT = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }}</title>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
         font-size: 16px; line-height: 1.5; color: #1a1a1a; background: #f4f6f8; }
  header { background: #b01c1c; color: #fff; padding: 12px 16px; }
  header p { margin: 0; font-size: 14px; }
  header h1 { margin: 4px 0 0; font-size: 20px; }
  main { max-width: 640px; margin: 0 auto; padding: 16px; }
  section { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 2px rgba(0,0,0,.1); }
  .code { font-size: 18px; font-weight: 700; word-break: break-all; margin: 0 0 12px; }
  .status { display: inline-block; padding: 4px 12px; border-radius: 16px; background: #e6f0ff;
            color: #0b3d91; font-weight: 700; margin-bottom: 12px; }
  dl { margin: 0; }
  dt { color: #555; font-size: 14px; margin-top: 12px; }
  dd { margin: 2px 0 0; font-weight: 600; overflow-wrap: anywhere; }
  footer { color: #555; font-size: 13px; text-align: center; padding: 16px; }
</style>
</head>
<body>
<header>
  <p>Hệ thống thông tin giải quyết thủ tục hành chính</p>
  <h1>Tra cứu tình trạng hồ sơ</h1>
</header>
<main>
{{ body }}
</main>
<footer>Trang tra cứu công khai: không hiển thị thông tin cá nhân của người nộp hồ sơ.</footer>
</body>
</html>
"""
_DOSSIER = _ENV.from_string("""<section>
  <p class="code">Mã hồ sơ: {{ page.code }}</p>
  <p class="status" data-status="{{ page.status }}">{{ page.status_name }}</p>
  <dl>
    <dt>Thủ tục hành chính</dt><dd>{{ page.procedure_name or "Chưa có thông tin" }}</dd>
    <dt>Cơ quan giải quyết</dt><dd>{{ page.agency_name or "Chưa có thông tin" }}</dd>
    {% for label, value in times %}
    <dt>{{ label }}</dt><dd>{{ value }}</dd>
    {% endfor %}
  </dl>
</section>""")
_PROBLEM = _ENV.from_string("""<section>
  <h2>{{ problem.title }}</h2>
  <p>{{ problem.detail }}</p>
  {% if problem.code %}<p class="code">{{ problem.code }}</p>{% endif %}
</section>""")
_PAGE = _ENV.from_string(_LAYOUT)


def render_lookup_page(page: LookupPage) -> str:
    times = [
        (label, vn.instant(at, page.tz).replace(vn.NBSP, " "))
        for label, at in (
            ("Thời gian nộp hồ sơ", page.submitted_at),
            ("Thời gian tiếp nhận hồ sơ", page.received_at),
            ("Thời gian hẹn trả kết quả", page.appointment_at),
        )
        if at is not None
    ]
    body = Markup(_DOSSIER.render(page=page, times=times))  # rendered with autoescape above
    return _PAGE.render(title=f"Hồ sơ {page.code}", body=body)


def render_lookup_problem(problem: LookupProblem) -> str:
    body = Markup(_PROBLEM.render(problem=problem))  # rendered with autoescape above
    return _PAGE.render(title=problem.title, body=body)
