"""Password policy for officer accounts (each person answers for every action under their account)."""

from __future__ import annotations

import string

MIN_LENGTH = 12
MAX_LENGTH = 128
# The most common choices seen in leaks and in offices; a real deployment may load a longer list.
COMMON = frozenset(
    {
        "password",
        "123456",
        "12345678",
        "123456789",
        "qwerty",
        "abc123",
        "111111",
        "matkhau",
        "admin",
        "motcua",
        "dichvucong",
        "vietnam",
    }
)


def policy_violations(password: str, *, username: str, current: str | None = None) -> list[str]:
    """What is wrong with `password`, in Vietnamese; empty when it is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Mật khẩu không được dài quá {MAX_LENGTH} ký tự.")
    if _character_classes(password) < 3:
        problems.append(
            "Mật khẩu phải có ít nhất ba trong bốn loại: chữ thường, chữ hoa, chữ số, ký tự đặc biệt."
        )
    lowered = password.lower()
    if username and username.lower() in lowered:
        problems.append("Mật khẩu không được chứa tên đăng nhập.")
    if _is_common(lowered):
        problems.append("Mật khẩu quá phổ biến, dễ bị dò đoán.")
    if current is not None and password == current:
        problems.append("Mật khẩu mới phải khác mật khẩu hiện tại.")
    return problems


def _character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and special characters the password uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() or c in string.punctuation for c in password),
        )
    )


def _is_common(lowered: str) -> bool:
    return lowered in COMMON or any(word in lowered for word in COMMON if len(word) >= 6)
