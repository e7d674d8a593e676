"""Điều 24 khoản 1: each submission rule with real Vietnamese phrasing; masking; folding for search."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvc_qa.domain.rules import abbreviations_in, check_question
from dvc_qa.domain.text import EMAIL_MASK, ID_MASK, PHONE_MASK, fold, mask_personal_numbers, strip_diacritics

TITLE = "Thủ tục đăng ký thường trú cho con"
BODY = (
    "Tôi muốn đăng ký thường trú cho con mới sinh tại xã Bình Lư, huyện Tam Đường thì cần chuẩn bị "
    "những giấy tờ gì và nộp hồ sơ ở đâu?"
)


def codes(title: str, body: str) -> set[tuple[str, str]]:
    return {(v.code, v.field) for v in check_question(title, body)}


def test_a_proper_question_passes() -> None:
    assert check_question(TITLE, BODY) == []
    assert check_question("Nộp hồ sơ qua ứng dụng VNeID", BODY) == []


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Thu tuc dang ky thuong tru cho con", strip_diacritics(BODY)),
        (
            "Dang ky ket hon o dau",
            "Cho em hoi dang ky ket hon voi nguoi o tinh khac thi lam o xa nao va can giay to gi",
        ),
    ],
)
def test_unaccented_vietnamese_is_refused_with_the_reason(title: str, body: str) -> None:
    violations = check_question(title, body)
    assert {(v.code, v.field) for v in violations} == {("no_diacritics", "title"), ("no_diacritics", "body")}
    assert "tiếng Việt có dấu" in violations[0].reason


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "How to register permanent residence",
            "How can I register permanent residence for my child in Lai Chau province and which papers are needed?",
        ),
        (
            "Comment obtenir un permis de construire",
            "Comment puis-je obtenir un permis de construire pour une maison individuelle dans la province?",
        ),
        (
            "如何办理结婚登记手续呢",
            "请问在莱州省办理结婚登记需要准备哪些材料以及在哪里提交申请呢谢谢你们的帮助",
        ),
        (
            "Как зарегистрировать брак",
            "Как зарегистрировать брак с гражданином Вьетнама в провинции Лайчау и какие документы нужны?",
        ),
    ],
)
def test_other_languages_are_refused(title: str, body: str) -> None:
    assert ("not_vietnamese", "body") in codes(title, body)


@pytest.mark.parametrize(
    ("body", "written"),
    [
        (
            "Tôi bị mất căn cước thì lên UBND xã làm lại được k, có mất phí không và mất bao lâu?",
            ["UBND", "k"],
        ),
        ("Tôi muốn hỏi làm giấy phép lái xe ở đâu, có cần khám sức khỏe ko và phí là bao nhiêu vậy?", ["ko"]),
        (
            "Cho tôi hỏi thủ tục cấp đổi GPLX hạng B2 sang thẻ mới thì nộp hồ sơ ở đâu và mất bao lâu?",
            ["GPLX"],
        ),
        ("Xin hỏi làm lại CCCD thì có cần giấy xác nhận của công an xã không, hồ sơ gồm những gì?", ["CCCD"]),
        ("Hồ sơ đăng ký hộ kinh doanh nộp ở đâu dc và cần giấy tờ j, có phải nộp lệ phí không?", ["dc", "j"]),
    ],
)
def test_abbreviations_are_refused_and_named(body: str, written: list[str]) -> None:
    violations = [v for v in check_question(TITLE, body) if v.code == "abbreviation"]
    assert len(violations) == 1 and violations[0].field == "body"
    for abbreviation in written:
        assert f"“{abbreviation}”" in violations[0].reason
    assert "Ủy ban nhân dân" in violations[0].reason or "UBND" not in written
    assert "“B2”" not in violations[0].reason  # a licence class is its official name, not an abbreviation


def test_abbreviation_detection_leaves_ordinary_words_alone() -> None:
    assert abbreviations_in("Nộp hồ sơ trực tuyến qua VNeID hoặc Zalo, nhận kết quả qua email.") == []
    assert abbreviations_in("SỞ XÂY DỰNG TỈNH LAI CHÂU") == []
    assert abbreviations_in("Thủ tục 1.003560.000.00.00.H56 năm 2026") == []


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("", "", {("empty", "title"), ("empty", "body")}),
        ("   ", BODY, {("empty", "title")}),
        ("Cho tôi hỏi", "Cho tôi hỏi với ạ", {("too_vague", "body")}),
        ("Hỏi", BODY, {("too_vague", "title")}),
        (TITLE, "Xin chào, cho em hỏi một chút về vấn đề này với ạ, cảm ơn ạ", {("too_vague", "body")}),
    ],
)
def test_empty_and_vague_questions_are_refused(title: str, body: str, expected: set[tuple[str, str]]) -> None:
    assert codes(title, body) == expected


def test_emoticons_are_refused() -> None:
    assert ("unrecognised_symbols", "body") in codes(TITLE, BODY + " =))")
    assert ("unrecognised_symbols", "body") in codes(TITLE, BODY + " 😀")


def test_phone_and_identification_numbers_are_masked() -> None:
    text = (
        "Tôi tên Nguyễn Văn An, CCCD số 011190000123, CMND cũ 123456789, điện thoại 0912 345 678 "
        "hoặc +84987654321, hỏi về thủ tục 1.003560.000.00.00.H56 năm 2026."
    )
    masked, count = mask_personal_numbers(text)
    assert count == 4
    for number in ("011190000123", "123456789", "0912 345 678", "84987654321"):
        assert number not in masked
    assert masked.count(PHONE_MASK) == 2 and masked.count(ID_MASK) == 2
    assert "1.003560.000.00.00.H56" in masked and "2026" in masked
    # At the end of a sentence too.
    assert mask_personal_numbers("Căn cước của tôi là 011190000123.")[0] == f"Căn cước của tôi là {ID_MASK}."
    assert mask_personal_numbers("Gọi 0987.654.321 nhé.")[0] == f"Gọi {PHONE_MASK} nhé."


def test_folding_for_search() -> None:
    assert fold("Đăng ký HỘ KHẨU thường trú!") == "dang ky ho khau thuong tru"
    assert fold("ho  khau") == "ho khau"
    # Decomposed input (NFD, as some keyboards send it) folds the same way.
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Hộ khẩu")) == "ho khau"


@given(
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵ ĐÂÊ", max_size=60)
)
def test_folding_is_idempotent_and_ascii(text: str) -> None:
    folded = fold(text)
    assert folded.isascii() and fold(folded) == folded


def test_email_addresses_and_landlines_are_masked_too() -> None:
    masked, count = mask_personal_numbers(
        "Liên hệ an.nguyen@example.vn hoặc <tthoa@laichau.gov.vn>, số máy bàn 0213 3876 543. "
        "Thủ tục 1.003560.000.00.00.H56."
    )
    assert "@" not in masked and "3876" not in masked and count == 3
    assert masked.count(EMAIL_MASK) == 2 and "1.003560.000.00.00.H56" in masked
