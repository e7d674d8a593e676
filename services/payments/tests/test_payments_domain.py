"""The platform's checksum, fee lines and receipt signatures: table tests and properties."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given
from hypothesis import strategies as st

from dvc_payments.domain import checksum, fees, receipts
from dvc_sandbox import payment_platform_store as platform

CALLBACK = {
    "LoaiBanTin": "CALLBACK",
    "MaLoi": "00",
    "MaDoiTac": "DVC_LAICHAU",
    "MaThamChieu": "TT-260223-0A1B2C3D-1",
    "SoTien": 150000,
    "MaTienTe": "VND",
    "MaGiaoDich": "GD000000123456",
    "MaNganHang": "VCB",
    "ThoiGianGD": "20260223081500",
    "ThongTinGiaoDich": "Thanh toan ho so 000.00.14.H56-260223-0001",
}


def test_callback_checksum_is_sha256_of_the_published_fields_then_the_secret() -> None:
    joined = (
        "CALLBACK|00|DVC_LAICHAU|TT-260223-0A1B2C3D-1|150000|VND|GD000000123456|VCB|20260223081500"
        "|Thanh toan ho so 000.00.14.H56-260223-0001|secret"
    )
    expected = hashlib.sha256(joined.encode()).hexdigest()
    assert checksum.sign("CALLBACK", CALLBACK, "secret") == expected
    assert checksum.verify("CALLBACK", {**CALLBACK, "MaXacThuc": expected}, "secret")
    assert not checksum.verify("CALLBACK", {**CALLBACK, "MaXacThuc": expected.upper()}, "secret")
    assert not checksum.verify("CALLBACK", CALLBACK, "secret")  # none given


@pytest.mark.parametrize(
    "field, value",
    [
        ("SoTien", 150001),
        ("MaLoi", "24"),
        ("MaThamChieu", "TT-OTHER-1"),
        ("MaTienTe", "USD"),
        ("MaGiaoDich", "GD1"),
    ],
)
def test_any_changed_field_breaks_the_checksum(field: str, value: object) -> None:
    message = checksum.signed("CALLBACK", CALLBACK, "secret")
    assert not checksum.verify("CALLBACK", {**message, field: value}, "secret")


def test_amounts_must_be_integers() -> None:
    with pytest.raises(TypeError):
        checksum.sign("CALLBACK", {**CALLBACK, "SoTien": 150000.0}, "secret")
    with pytest.raises(TypeError):
        fees.Fee("phi", "Phí", 10.5)  # type: ignore[arg-type]


@given(
    st.dictionaries(st.sampled_from(checksum.FIELDS["CALLBACK"]), st.text() | st.integers(min_value=0)),
    st.text(min_size=1),
)
def test_partner_and_platform_agree_on_every_message(message: dict[str, object], secret: str) -> None:
    for kind in ("CALLBACK", "QUERY_RESPONSE", "INIT"):
        assert checksum.sign(kind, message, secret) == platform.checksum(kind, message, secret)
        assert checksum.verify(
            kind, {**message, "MaXacThuc": platform.checksum(kind, message, secret)}, secret
        )


@given(st.text(min_size=1), st.text(min_size=1))
def test_another_secret_never_verifies(secret: str, other: str) -> None:
    if secret == other:
        return
    assert not checksum.verify("CALLBACK", checksum.signed("CALLBACK", CALLBACK, secret), other)


def test_fee_lines_add_postal_fee_only_when_the_result_goes_by_post() -> None:
    schedule = [fees.Fee("phi", "Phí thẩm định", 50_000), fees.Fee("le_phi", "Lệ phí", 100_000)]
    assert fees.total(fees.fee_lines(schedule, 25_000, by_post=False)) == 150_000
    by_post = fees.fee_lines(schedule, 25_000, by_post=True)
    assert fees.total(by_post) == 175_000 and by_post[-1].kind == "buu_chinh"
    assert fees.fee_lines([fees.Fee("phi", "Miễn phí", 0)], None, by_post=True) == []


@given(st.lists(st.integers(min_value=0, max_value=10**10), max_size=10))
def test_total_is_the_exact_integer_sum(amounts: list[int]) -> None:
    lines = [fees.Fee("phi", f"Phí {i}", a) for i, a in enumerate(amounts)]
    assert fees.total(fees.fee_lines(lines, None, by_post=False)) == sum(amounts)


def test_receipt_signature_verifies_and_any_change_breaks_it() -> None:
    key = Ed25519PrivateKey.generate()
    public = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    document = {"SoChungTu": "CT1", "SoTien": 150000, "NoiDung": "Nộp lệ phí hồ sơ"}
    signature = base64.b64encode(key.sign(receipts.canonical(document))).decode()
    assert receipts.verify_receipt(document, signature, public)
    assert not receipts.verify_receipt({**document, "SoTien": 1500000}, signature, public)
    assert not receipts.verify_receipt(document, "bm90IGEgc2lnbmF0dXJl", public)
