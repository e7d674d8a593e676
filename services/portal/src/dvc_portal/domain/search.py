"""Procedure search over the catalog list: Vietnamese folded to plain letters, so that
"cap giay phep xay dung" finds "Cấp giấy phép xây dựng" (the catalog API has no search of its own)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s.]")


def fold(text: str) -> str:
    """Lower case without diacritics: `Đăng ký khai sinh` → `dang ky khai sinh`."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", bare.lower())).strip()


def _score(query: str, words: Sequence[str], haystack: str) -> int:
    """0: no match; higher: the whole phrase, then every word, at word starts."""
    if not all(re.search(rf"\b{re.escape(w)}", haystack) for w in words):
        return 0
    phrase = 2 if re.search(rf"\b{re.escape(query)}", haystack) else 1
    return phrase * 100 - min(len(haystack), 99)


def search(items: Iterable[T], query: str, text_of: Callable[[T], str]) -> list[T]:
    """Items whose text holds every word of `query` (each at a word start), best first; all items in
    their order for an empty query."""
    folded = fold(query)
    listed = list(items)
    if not folded:
        return listed
    words = folded.split(" ")
    scored = [
        (s, i, item) for i, item in enumerate(listed) if (s := _score(folded, words, fold(text_of(item))))
    ]
    return [item for _, _, item in sorted(scored, key=lambda t: (-t[0], t[1]))]
