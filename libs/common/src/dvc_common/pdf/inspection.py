"""Look at a rendered form the way a reader would: its pages as PNG images, the position of every text
line, and its text. For tests and checks; needs poppler-utils (`pdftoppm`, `pdftotext`)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(
    r'<line xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</line>', re.S
)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.S)


@dataclass(frozen=True)
class TextLine:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    page_width: float
    page_height: float

    def inside(self, margin: float = 0.0) -> bool:
        """Whether the line lies on the page, at least `margin` points from every edge."""
        return (
            self.x0 >= margin
            and self.y0 >= margin
            and self.x1 <= self.page_width - margin
            and self.y1 <= self.page_height - margin
        )


def _run(*args: str, stdin: bytes) -> bytes:
    return subprocess.run(args, input=stdin, capture_output=True, check=True, timeout=60).stdout


def text_lines(pdf: bytes) -> list[TextLine]:
    """Every text line with its box in points (origin top left), from `pdftotext -bbox-layout`."""
    xhtml = _run("pdftotext", "-bbox-layout", "-", "-", stdin=pdf).decode()
    lines: list[TextLine] = []
    for number, (width, height, body) in enumerate(_PAGE.findall(xhtml), start=1):
        for x0, y0, x1, y1, words in _LINE.findall(body):
            text = " ".join(unescape(w) for w in _WORD.findall(words))
            lines.append(
                TextLine(
                    number, text, float(x0), float(y0), float(x1), float(y1), float(width), float(height)
                )
            )
    return lines


def misplaced_lines(pdf: bytes, *, edge: float = 14.0, right_margin: float = 40.0) -> list[TextLine]:
    """Lines closer than `edge` points (5 mm) to an edge of the sheet, or reaching into the right
    margin (15 mm = 42.5 pt; a little less for the rounding of glyph boxes): none on a good form."""
    return [
        line for line in text_lines(pdf) if not line.inside(edge) or line.x1 > line.page_width - right_margin
    ]


def pdf_metadata(pdf: bytes) -> dict[str, str]:
    """The document information dictionary (Title, Subject, Keywords…), from `pdfinfo`."""
    info = _run("pdfinfo", "-", stdin=pdf).decode()
    return dict(
        (key.strip(), value.strip()) for key, _, value in (line.partition(":") for line in info.splitlines())
    )


def plain_text(pdf: bytes) -> str:
    """The text in reading order, runs of white space (line breaks included) folded to one space, so
    that a field that wrapped onto two lines still reads as `label: value`."""
    return " ".join(_run("pdftotext", "-", "-", stdin=pdf).decode().split())


def page_count(pdf: bytes) -> int:
    return int(pdf_metadata(pdf).get("Pages", "0"))


def render_png(pdf: bytes, directory: Path, stem: str, *, dpi: int = 100) -> list[Path]:
    """Each page as `<stem>-<n>.png` in `directory` (pdftoppm), for a person to look at."""
    directory.mkdir(parents=True, exist_ok=True)
    page = re.compile(rf"{re.escape(stem)}-\d+\.png")
    for stale in directory.iterdir():
        if page.fullmatch(stale.name):
            stale.unlink()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), source.name, str(directory / stem)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return sorted(p for p in directory.iterdir() if page.fullmatch(p.name))
