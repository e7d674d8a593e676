"""Rendering operator-editable templates (Jinja2, sandboxed) into e-mails and Zalo ZNS template data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

EMAIL = "email"
ZALO = "zalo"
CHANNELS = (EMAIL, ZALO)


@dataclass(frozen=True)
class TemplateSource:
    """What an operator edits: e-mail subject, plain text and HTML, or a Zalo template id and its data."""

    channel: str
    subject: str | None = None
    body_text: str | None = None
    body_html: str | None = None
    zalo_template_id: str | None = None
    zalo_data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str | None = None
    zalo_template_id: str | None = None
    zalo_data: dict[str, str] | None = None


class TemplateInvalid(Exception):
    """The template cannot be compiled or rendered (syntax, unknown variable, forbidden access)."""

    def __init__(self, part: str, error: str) -> None:
        super().__init__(f"{part}: {error}")
        self.part = part
        self.error = error


def vn_datetime(value: Any, tz: ZoneInfo) -> str:
    """'08 giờ 15 phút ngày 23/02/2026' in the province's time zone."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return str(value)
    return value.astimezone(tz).strftime("%H giờ %M phút ngày %d/%m/%Y")


def vn_short(value: Any, tz: ZoneInfo) -> str:
    """'08:15 23/02/2026' (fits Zalo's short template parameters)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return str(value)
    return value.astimezone(tz).strftime("%H:%M %d/%m/%Y")


def vnd(value: Any) -> str:
    """'150.000 đồng' (amounts are integer VND)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return f"{value:,}".replace(",", ".") + " đồng"


class Renderer:
    """Compiles templates once (by key) and renders them; unknown variables are errors, not blanks."""

    def __init__(self, tz: ZoneInfo) -> None:
        self._text = SandboxedEnvironment(
            undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
        )
        self._html = SandboxedEnvironment(
            undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True
        )
        for env in (self._text, self._html):
            env.filters["ngay_gio"] = lambda v: vn_datetime(v, tz)
            env.filters["ngay_gio_ngan"] = lambda v: vn_short(v, tz)
            env.filters["tien"] = vnd
        self._cache: dict[tuple[object, str], Any] = {}

    def _render(
        self, key: object, part: str, source: str, context: Mapping[str, Any], *, html: bool = False
    ) -> str:
        compiled = self._cache.get((key, part))
        try:
            if compiled is None:
                compiled = (self._html if html else self._text).from_string(source)
                if key is not None:
                    self._cache[(key, part)] = compiled
            rendered: str = compiled.render(context)
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f" (dòng {line})" if line else ""
            raise TemplateInvalid(part, f"{type(exc).__name__}{where}: {exc.message or exc}") from exc
        return rendered

    def render(self, source: TemplateSource, context: Mapping[str, Any], *, key: object = None) -> Rendered:
        """Render one template; `key` (e.g. the template row id) caches the compiled form."""
        if source.channel == EMAIL:
            return self._email(source, context, key)
        if source.channel == ZALO:
            return self._zalo(source, context, key)
        raise TemplateInvalid("channel", f"kênh không hỗ trợ: {source.channel}")

    def _email(self, source: TemplateSource, context: Mapping[str, Any], key: object) -> Rendered:
        if not source.subject or not source.body_text:
            raise TemplateInvalid("subject", "thư điện tử cần tiêu đề và nội dung dạng văn bản")
        subject = " ".join(self._render(key, "subject", source.subject, context).split())
        text = self._render(key, "body_text", source.body_text, context)
        html = (
            self._render(key, "body_html", source.body_html, context, html=True) if source.body_html else None
        )
        return Rendered(subject=subject, body_text=text, body_html=html)

    def _zalo(self, source: TemplateSource, context: Mapping[str, Any], key: object) -> Rendered:
        if not source.zalo_template_id or not source.zalo_data:
            raise TemplateInvalid("zalo_data", "tin Zalo cần mã mẫu ZNS đã duyệt và dữ liệu mẫu")
        data = {
            name: " ".join(self._render(key, f"zalo_data.{name}", expr, context).split())
            for name, expr in source.zalo_data.items()
        }
        empty = [name for name, value in data.items() if not value]
        if empty:
            raise TemplateInvalid("zalo_data", f"tham số rỗng: {', '.join(empty)}")
        summary = f"ZNS {source.zalo_template_id}: " + "; ".join(f"{k}={v}" for k, v in data.items())
        return Rendered(
            subject=f"Zalo ZNS mẫu {source.zalo_template_id}",
            body_text=summary,
            zalo_template_id=source.zalo_template_id,
            zalo_data=data,
        )
