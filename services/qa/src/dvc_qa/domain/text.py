"""Vietnamese text helpers: diacritic folding for search and masking of personal numbers.

Folding maps "Hộ khẩu thường trú" to "ho khau thuong tru" so that a search typed without diacritics
finds questions written with them (and the other way round).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; đ/Đ become d/D."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def fold(text: str) -> str:
    """Lower-case, without diacritics or punctuation, single-spaced: the form stored for search."""
    plain = strip_diacritics(unicodedata.normalize("NFC", text)).lower()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", plain)).strip()


def normalise(text: str) -> str:
    """NFC (composed) form with runs of spaces collapsed; line breaks are kept."""
    lines = (_SPACES.sub(" ", line).strip() for line in unicodedata.normalize("NFC", text).splitlines())
    return "\n".join(lines).strip()


# Phone numbers: 0 or +84/84 followed by 9 digits (mobile) or 10 (landline, 0213 3876 543), optionally
# grouped by spaces, dots or dashes.
_PHONE = re.compile(r"(?<!\w)(?<!\w\.)(?:\+?84|0)(?:[\s.\-]?\d){9,10}(?!\w)(?!\.\w)")
# Personal identification: 12-digit citizen identity (CCCD / số định danh cá nhân) or 9-digit ID card.
# Not part of a dotted code such as 1.003560.000.00.00.H56; a full stop ending the sentence is fine.
_PERSONAL_ID = re.compile(r"(?<!\w)(?<!\w\.)(?:\d{12}|\d{9})(?!\w)(?!\.\w)")
# E-mail addresses (local part and a dotted domain), also inside a sentence or in angle brackets.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PHONE_MASK = "[số điện thoại đã được ẩn]"
ID_MASK = "[số định danh đã được ẩn]"
EMAIL_MASK = "[địa chỉ thư điện tử đã được ẩn]"


def mask_personal_numbers(text: str) -> tuple[str, int]:
    """The text with e-mail addresses, phone and identification numbers replaced, and how many were
    masked (what is published or sent on the public exchange carries none of them)."""
    masked, emails = _EMAIL.subn(EMAIL_MASK, text)
    masked, phones = _PHONE.subn(PHONE_MASK, masked)
    masked, ids = _PERSONAL_ID.subn(ID_MASK, masked)
    return masked, emails + phones + ids
