"""Developer tool: regenerate the yearly holiday files in ``data/holidays/``.

Run ``python -m dvc_common.worktime.generate 2024 2030``. The baseline comes from the maintained
``holidays`` package (Vietnam, Labour Code 2019 Art. 112: 1/1; 5 days of Lunar New Year; Hùng Kings
day 10/3 lunar; 30/4; 1/5; 2/9 plus an adjacent day; a holiday on a weekend is compensated on the next
working day). Day swaps that the package hard-codes are *not* copied: swaps are official decisions and
live in ``data/decisions/`` with their reference, so the generated files contain only rule-based days.
This module is not imported by the engine at run time.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

_GROUPS = (
    ("Tết Dương lịch", "Tết Dương lịch"),
    ("Tết", "Tết Nguyên Đán"),
    ("Hùng Vương", "Giỗ Tổ Hùng Vương"),
    ("Chiến thắng", "Ngày Chiến thắng"),
    ("Lao động", "Quốc tế Lao động"),
    ("Quốc khánh", "Quốc khánh"),
    ("Văn hóa", "Ngày Văn hóa Việt Nam"),
)
_SWAP_MARKER = "thay cho ngày"


def _group(name: str) -> str:
    for needle, group in _GROUPS:
        if needle in name:
            return group
    return name


def generate_year(year: int) -> dict[str, Any]:
    from importlib.metadata import version

    import holidays

    table = holidays.country_holidays("VN", years=year, language="vi")
    days: list[dict[str, str]] = []
    for day, name in sorted(table.items()):
        assert isinstance(day, date)
        for part in str(name).split("; "):
            if _SWAP_MARKER in part:
                continue  # a swap decided by an official decision, see data/decisions/
            days.append({"date": day.isoformat(), "name": part, "group": _group(part)})
            break
    return {
        "year": year,
        "source": f"Sinh tự động theo Bộ luật Lao động 2019 Điều 112 (thư viện holidays {version('holidays')})",
        "days_off": days,
    }


def _dump(data: dict[str, Any]) -> str:
    """Stable JSON with one day off per line, for readable diffs."""
    rows = ",\n".join("    " + json.dumps(day, ensure_ascii=False) for day in data["days_off"])
    head = {key: value for key, value in data.items() if key != "days_off"}
    header = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items())
    return "{\n" + header + ',\n  "days_off": [\n' + rows + "\n  ]\n}\n"


def main(argv: list[str]) -> int:
    first, last = (int(argv[0]), int(argv[1])) if len(argv) == 2 else (2024, 2030)
    target = Path(str(resources.files("dvc_common.worktime") / "data" / "holidays"))
    for year in range(first, last + 1):
        path = target / f"vn-{year}.json"
        path.write_text(_dump(generate_year(year)), encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
