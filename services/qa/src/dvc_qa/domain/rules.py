"""What a question must be before it is accepted (Lai Châu Quy chế, Điều 24 khoản 1).

"Câu hỏi phải được soạn thảo dưới dạng chữ tiếng Việt có dấu, không viết tắt, không sử dụng các ký
hiệu không được thừa nhận …, nội dung câu hỏi phải cụ thể, câu hỏi phải gửi đến cơ quan … cụ thể."

Each rule gives a stable code and a Vietnamese reason the asker can act on; all broken rules are
reported at once. The checks are heuristics tuned on real phrasing: Vietnamese is recognised by its
syllable structure, written "with diacritics" when enough syllables carry marks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dvc_qa.domain.text import fold, strip_diacritics

MIN_TITLE_WORDS = 3
MIN_BODY_WORDS = 8
MIN_CONTENT_WORDS = 5
MAX_TITLE_CHARS = 250
MAX_BODY_CHARS = 5000
# Share of syllables that must carry a diacritic: ordinary Vietnamese prose has well over half.
MIN_DIACRITIC_SHARE = 0.3
# Share of words that must be Vietnamese syllables (names, codes and loanwords make up the rest).
MIN_SYLLABLE_SHARE = 0.75


@dataclass(frozen=True)
class Violation:
    code: str
    field: str
    reason: str


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TOKEN = re.compile(r"[^\s]+")
# One Vietnamese syllable, written without diacritics: onset, vowel nucleus, coda.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:[aeiouy]{1,3})"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_MARKED = set("ăâđêôơư")

# Chat-style and administrative abbreviations seen in citizens' questions (folded, lower case).
ABBREVIATIONS: dict[str, str] = {
    "k": "không",
    "ko": "không",
    "kh": "không",
    "khg": "không",
    "hk": "không",
    "dc": "được",
    "dk": "được / đăng ký",
    "j": "gì",
    "z": "vậy",
    "vs": "với",
    "ntn": "như thế nào",
    "bn": "bao nhiêu",
    "mk": "mình",
    "mik": "mình",
    "ng": "người",
    "nc": "nước",
    "trc": "trước",
    "r": "rồi",
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "cccd": "căn cước công dân",
    "cmnd": "chứng minh nhân dân",
    "cmt": "chứng minh thư",
    "gplx": "giấy phép lái xe",
    "gcn": "giấy chứng nhận",
    "qsdd": "quyền sử dụng đất",
    "gcnqsdd": "giấy chứng nhận quyền sử dụng đất",
    "sdt": "số điện thoại",
    "tthc": "thủ tục hành chính",
    "dvc": "dịch vụ công",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "thpt": "trung học phổ thông",
    "mst": "mã số thuế",
    "tp": "thành phố",
    "tx": "thị xã",
    "hs": "hồ sơ",
    "gks": "giấy khai sinh",
    "pccc": "phòng cháy, chữa cháy",
    "xd": "xây dựng",
    "sxkd": "sản xuất kinh doanh",
}
# Proper names and loanwords that are not abbreviations and not to be counted against the text.
ALLOWED_WORDS = frozenset(
    {"vneid", "zalo", "email", "online", "website", "internet", "file", "pdf", "otp", "sms", "qr", "app"}
)
# Generic openings that carry no content ("cho tôi hỏi", "xin hỏi", …), folded.
FILLER_WORDS = frozenset(
    [
        "cho",
        "toi",
        "hoi",
        "xin",
        "hoi",
        "a",
        "em",
        "anh",
        "chi",
        "minh",
        "voi",
        "giup",
        "ve",
        "viec",
        "van",
        "de",
        "nay",
        "do",
        "la",
        "thi",
        "co",
        "khong",
        "the",
        "nao",
        "vay",
        "duoc",
        "cam",
        "on",
        "nhe",
        "a",
        "oi",
        "ban",
        "can",
        "muon",
        "biet",
    ]
)
# Emoticons and symbols with no accepted meaning in an administrative text.
_SYMBOLS = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF]|[:;=][\-']?[)(DPp]{1,}|\^\^|<3|[!?]{3,}")


def _has_mark(word: str) -> bool:
    lower = word.lower()
    return any(c in _MARKED for c in lower) or any(
        unicodedata.combining(c) for c in unicodedata.normalize("NFD", lower)
    )


def is_syllable(folded_word: str) -> bool:
    return _SYLLABLE.fullmatch(folded_word) is not None


def _is_latin(word: str) -> bool:
    """Written in the Latin alphabet (Vietnamese letters included), not Cyrillic, Han, Thai, …"""
    return strip_diacritics(word).isascii()


def language_violations(text: str, field: str) -> list[Violation]:
    """Vietnamese, with its diacritics: mostly Latin script, mostly Vietnamese syllables, mostly marked."""
    words = _WORD.findall(text)
    if not words:
        return []
    foreign_script = [w for w in words if not _is_latin(w)]
    candidates = [w for w in words if w not in foreign_script and fold(w) not in ALLOWED_WORDS]
    syllables = [w for w in candidates if is_syllable(fold(w))]
    if len(foreign_script) * 2 > len(words) or len(syllables) < MIN_SYLLABLE_SHARE * len(candidates):
        return [Violation("not_vietnamese", field, "Câu hỏi phải được viết bằng tiếng Việt.")]
    marked = [w for w in syllables if _has_mark(w)]
    if len(marked) < MIN_DIACRITIC_SHARE * len(syllables):
        return [
            Violation(
                "no_diacritics",
                field,
                "Câu hỏi phải được viết bằng tiếng Việt có dấu (ví dụ: “hộ khẩu” thay vì “ho khau”).",
            )
        ]
    return []


def abbreviations_in(text: str) -> list[str]:
    """Abbreviations as written, in order of appearance, each once."""
    found: list[str] = []
    for token in _TOKEN.findall(text):
        for part in re.split(r"[./\-,;:()\"“”?!]+", token):
            if not part or not _WORD.fullmatch(part):
                continue
            folded = fold(part)
            if folded in ALLOWED_WORDS:
                continue
            known = folded in ABBREVIATIONS
            acronym = len(part) >= 2 and part.isupper() and not is_syllable(folded)
            if (known or acronym) and part not in found:
                found.append(part)
    return found


def _abbreviation_violation(text: str, field: str) -> list[Violation]:
    found = abbreviations_in(text)
    if not found:
        return []
    hints = [f"“{a}” ({ABBREVIATIONS[fold(a)]})" if fold(a) in ABBREVIATIONS else f"“{a}”" for a in found]
    return [
        Violation(
            "abbreviation",
            field,
            "Câu hỏi không được viết tắt; vui lòng viết đầy đủ: " + ", ".join(hints) + ".",
        )
    ]


def _symbol_violation(text: str, field: str) -> list[Violation]:
    if not _SYMBOLS.search(text):
        return []
    return [
        Violation(
            "unrecognised_symbols",
            field,
            "Câu hỏi không được dùng biểu tượng cảm xúc hoặc ký hiệu không được thừa nhận.",
        )
    ]


def check_question(title: str, body: str) -> list[Violation]:
    """Every rule the title and body break (empty when the question may be accepted)."""
    violations = _field_violations("title", title, MIN_TITLE_WORDS, MAX_TITLE_CHARS)
    body_violations = _field_violations("body", body, MIN_BODY_WORDS, MAX_BODY_CHARS)
    violations += body_violations
    if body.strip() and not any(v.code == "too_vague" for v in body_violations):
        content = {w for w in fold(body).split() if w not in FILLER_WORDS and not w.isdigit()}
        if len(content) < MIN_CONTENT_WORDS:
            violations.append(_vague("body", "hãy nêu rõ thủ tục, giấy tờ hoặc tình huống cụ thể"))
    return violations


def _field_violations(field: str, text: str, min_words: int, max_chars: int) -> list[Violation]:
    if not text.strip():
        label = "Tiêu đề" if field == "title" else "Nội dung câu hỏi"
        return [Violation("empty", field, f"{label} không được để trống.")]
    violations: list[Violation] = []
    if len(text) > max_chars:
        violations.append(Violation("too_long", field, f"Tối đa {max_chars} ký tự."))
    violations += language_violations(text, field)
    violations += _abbreviation_violation(text, field)
    violations += _symbol_violation(text, field)
    if len(_WORD.findall(text)) < min_words:
        violations.append(_vague(field, f"cần ít nhất {min_words} từ"))
    return violations


def _vague(field: str, hint: str) -> Violation:
    label = "Tiêu đề" if field == "title" else "Nội dung câu hỏi"
    return Violation("too_vague", field, f"{label} chưa cụ thể: {hint}.")


DECLINE_REASON_MIN_CHARS = 10
