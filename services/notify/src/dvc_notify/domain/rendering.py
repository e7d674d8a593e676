"""Rendering operator-editable templates (Jinja2, sandboxed) into e-mails and Zalo ZNS template data.

Rendering is bounded: an operator's draft such as `{% for i in range(10**9) %}` must not hold a
worker or fill its memory. The sandbox's ranges check a deadline at every step, the arithmetic and
calls that could build a huge value are refused before they run, the output is counted as it is
generated, and anything a template raises is a template error, never a crash.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import StrictUndefined, TemplateError
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.sandbox import SandboxedEnvironment, safe_range

from dvc_notify.domain import wording

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
    """'150.000 đ' (amounts are integer VND)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    return f"{value:,}".replace(",", ".") + " đ"


@dataclass(frozen=True)
class RenderLimits:
    """How long one template part may render and how much it may produce."""

    max_seconds: float = 2.0
    max_chars: int = 100_000


class LimitExceeded(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


_DEADLINE: ContextVar[float | None] = ContextVar("notify_render_deadline", default=None)
_MAX_CHARS: ContextVar[int] = ContextVar("notify_render_max_chars", default=RenderLimits().max_chars)


def _check_time() -> None:
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise LimitExceeded("thời gian hiển thị mẫu vượt giới hạn")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def _check_size(n: int) -> None:
    if n > _MAX_CHARS.get():
        raise LimitExceeded(f"nội dung tạo ra vượt {_MAX_CHARS.get():,} ký tự".replace(",", "."))


def _check_arguments(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """A width, count or length beyond the output limit (center(10**9), indent, wordwrap, ljust…)
    could only build a value too big to send: refused before the call allocates it."""
    _check_time()
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_CHARS.get():
            _check_size(abs(value))


_NUMBER = re.compile(r"\d+")


def _check_format(spec: Any) -> None:
    """A printf / str.format pattern with a width or precision beyond the limit ('%1000000000s')."""
    if isinstance(spec, str):
        for number in _NUMBER.findall(spec):
            if len(number) > 7 or int(number) > _MAX_CHARS.get():
                raise LimitExceeded(f"định dạng có độ rộng quá lớn ({number[:12]})")


def _bounded_range(*args: int) -> Iterator[int]:
    """The sandbox's range (at most MAX_RANGE items) that also stops at the deadline."""
    for i in safe_range(*args):
        _check_time()
        yield i


def _bounded_filter(f: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(f)  # keeps Jinja's pass_context / pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if f.__name__ == "do_format":
            _check_format(next((a for a in args if isinstance(a, str)), None))
        _check_arguments(args[1:], kwargs)
        result = f(*args, **kwargs)
        _check_size(_size(result))
        return result

    return bounded


class _BoundedConcat(CodeGenerator):
    """`a ~ b` is checked like `a + b` (a doubling `{% set s = s ~ s %}` stops at the size limit)."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox with limits on what a template may compute (see the module's docstring)."""

    code_generator_class = _BoundedConcat

    @staticmethod
    def checked_concat(value: Any) -> Any:
        _check_time()
        _check_size(_size(value))
        return value

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.pop("lipsum", None)  # lipsum(n=10**9) builds any amount of text
        self.globals["range"] = _bounded_range
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_time()
        if operator == "**" and isinstance(left, int | float) and isinstance(right, int | float):
            if abs(right) > 64 or abs(left) > 2**64:
                raise LimitExceeded("phép lũy thừa quá lớn")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if _size(seq) and isinstance(count, int) and not isinstance(count, bool):
                    _check_size(_size(seq) * count)
        elif operator == "+":
            _check_size(_size(left) + _size(right))
        elif operator == "%":
            _check_format(left)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format(getattr(value, "__self__", None))  # '{:>1000000000}'.format(1)
        return super().wrap_str_format(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_arguments(args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(_size(result))
        return result


class Renderer:
    """Compiles templates once (by key) and renders them; unknown variables are errors, not blanks."""

    def __init__(self, tz: ZoneInfo, limits: RenderLimits | None = None) -> None:
        self.limits = limits or RenderLimits()
        self._text = BoundedSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
        self._html = BoundedSandbox(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)
        for env in (self._text, self._html):
            ours: dict[str, Callable[..., Any]] = {
                "ngay_gio": lambda v: vn_datetime(v, tz),
                "ngay_gio_ngan": lambda v: vn_short(v, tz),
                "tien": vnd,
                # Vietnamese words for the codes events carry (never "online" in a letter).
                "cach_tra_ket_qua": wording.delivery_method,
                "kenh_nop": wording.submission_channel,
                "ghi_chu": wording.readable_note,
            }
            env.filters.update({name: _bounded_filter(f) for name, f in ours.items()})
        self._cache: dict[tuple[object, str], Any] = {}

    def _generate(self, compiled: Any, context: Mapping[str, Any]) -> str:
        """Render within the limits: the deadline and the size are checked as the output is made."""
        deadline = _DEADLINE.set(time.monotonic() + self.limits.max_seconds)
        max_chars = _MAX_CHARS.set(self.limits.max_chars)
        try:
            parts: list[str] = []
            produced = 0
            for chunk in compiled.generate(context):
                produced += len(chunk)
                _check_size(produced)
                _check_time()
                parts.append(chunk)
            return "".join(parts)
        finally:
            _DEADLINE.reset(deadline)
            _MAX_CHARS.reset(max_chars)

    def _render(
        self, key: object, part: str, source: str, context: Mapping[str, Any], *, html: bool = False
    ) -> str:
        compiled = self._cache.get((key, part))
        try:
            if compiled is None:
                compiled = (self._html if html else self._text).from_string(source)
                if key is not None:
                    self._cache[(key, part)] = compiled
            rendered: str = self._generate(compiled, context)
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f" (dòng {line})" if line else ""
            raise TemplateInvalid(part, f"{type(exc).__name__}{where}: {exc.message or exc}") from exc
        except LimitExceeded as exc:
            raise TemplateInvalid(
                part,
                f"{exc.what} (tối đa {self.limits.max_seconds:g} giây và "
                f"{self.limits.max_chars:,} ký tự cho mỗi phần của mẫu); hãy bỏ vòng lặp hoặc phép tính quá lớn".replace(
                    ",", "."
                ),
            ) from exc
        except (OverflowError, RecursionError, MemoryError) as exc:
            raise TemplateInvalid(
                part, f"mẫu tạo ra giá trị quá lớn hoặc lặp vô hạn ({type(exc).__name__})"
            ) from exc
        except Exception as exc:  # whatever a template raises is the template's error
            raise TemplateInvalid(part, f"lỗi khi hiển thị mẫu ({type(exc).__name__}: {exc})") from exc
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
