"""How dates, times and amounts are written on administrative forms (Vietnamese)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")


NBSP = "\u00a0"  # the time and the date each stay on one line when a field wraps


def instant(at: datetime, tz: ZoneInfo) -> str:
    """`08 giờ 15 phút, ngày 02 tháng 03 năm 2026`: the wording of the forms' time fields."""
    local = at.astimezone(tz)
    return f"{local:%H} giờ {local:%M} phút".replace(" ", NBSP) + ", " + day(local.date())


def day(on: date) -> str:
    """`ngày 02 tháng 03 năm 2026`."""
    return f"ngày {on:%d} tháng {on:%m} năm {on:%Y}".replace(" ", NBSP)


def short(at: datetime, tz: ZoneInfo) -> str:
    """`08:15 02/03/2026` for table cells, where the long wording does not fit."""
    return f"{at.astimezone(tz):%H:%M}{NBSP}{at.astimezone(tz):%d/%m/%Y}"


def place_and_day(place: str | None, on: date) -> str:
    """The place-and-date line under the national motto: `Lai Châu, ngày 02 tháng 03 năm 2026`."""
    return f"{place}, {day(on)}" if place else day(on).capitalize()


def vnd(amount: int) -> str:
    """`75.000 đồng` (dot as the thousands separator)."""
    return f"{amount:,} đồng".replace(",", ".")


def _three(n: int, *, leading: bool) -> list[str]:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5 and tens > 0:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def in_words(amount: int) -> str:
    """The amount in words as receipts write it: `Bảy mươi lăm nghìn đồng`."""
    if amount < 0:
        raise ValueError("amounts are not negative")
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    if len(groups) > len(_GROUPS):
        raise ValueError("amount too large")
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index] == 0:
            continue
        words += _three(groups[index], leading=index == len(groups) - 1)
        if _GROUPS[index]:
            words.append(_GROUPS[index])
    sentence = " ".join(words)
    return f"{sentence[0].upper()}{sentence[1:]} đồng"
