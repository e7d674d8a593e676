"""Fee lines of a payment request, from an agency's fee schedule for a procedure. Integers of VND."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FeeKind = Literal["phi", "le_phi", "buu_chinh"]
KIND_NAMES: dict[str, str] = {"phi": "Phí", "le_phi": "Lệ phí", "buu_chinh": "Phí dịch vụ bưu chính"}


@dataclass(frozen=True)
class Fee:
    kind: FeeKind
    name: str
    amount: int

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError("amounts are integers of VND")
        if self.amount < 0:
            raise ValueError("a fee cannot be negative")


def fee_lines(schedule: list[Fee], postal_fee: int | None, *, by_post: bool) -> list[Fee]:
    """The lines to pay: the schedule's phí and lệ phí, plus the postal fee when the result goes by post."""
    lines = [fee for fee in schedule if fee.amount > 0]
    if by_post and postal_fee:
        lines.append(Fee("buu_chinh", "Phí dịch vụ bưu chính trả kết quả", postal_fee))
    return lines


def total(lines: list[Fee]) -> int:
    return sum(line.amount for line in lines)
