"""Procedure search: Vietnamese with or without diacritics, every word at a word start, best first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dvc_portal.domain.search import fold, search

NAMES = [
    "Cấp giấy phép lái xe quốc tế",
    "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
    "Thủ tục đăng ký khai sinh",
    "Đăng ký kết hôn",
    "Cấp bản sao trích lục hộ tịch",
]


def test_fold_drops_diacritics_and_đ() -> None:
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("  Cấp   GIẤY phép, xây-dựng ") == "cap giay phep xay dung"
    assert fold("Chứng thực bản sao từ bản chính") == "chung thuc ban sao tu ban chinh"


def test_a_query_without_diacritics_finds_the_procedure() -> None:
    assert search(NAMES, "cap giay phep xay dung", str) == [
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
    ]
    assert search(NAMES, "dang ky", str) == ["Đăng ký kết hôn", "Thủ tục đăng ký khai sinh"]


def test_with_diacritics_too_and_the_whole_phrase_ranks_first() -> None:
    assert search(NAMES, "giấy phép", str)[:2] == [
        "Cấp giấy phép lái xe quốc tế",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
    ]
    assert search(NAMES, "phep giay", str) == [  # every word, any order: after phrase matches
        "Cấp giấy phép lái xe quốc tế",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
    ]


def test_words_match_at_their_start_only() -> None:
    assert search(NAMES, "ai sinh", str) == []  # "ai" is inside "khai", not a word start
    assert search(NAMES, "kha", str) == ["Thủ tục đăng ký khai sinh"]


def test_an_empty_query_keeps_everything_in_order() -> None:
    assert search(NAMES, "   ", str) == NAMES


@given(st.sampled_from(NAMES))
def test_every_name_is_found_by_its_own_folded_text(name: str) -> None:
    assert search(NAMES, fold(name), str)[0] == name
