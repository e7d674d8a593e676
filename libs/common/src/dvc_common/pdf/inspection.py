"""Look at a rendered form the way a reader would: its pages as PNG images, the position of every text
line, and its text. For tests and checks; needs poppler-utils (`pdftoppm`, `pdftotext`)."""

from __future__ import annotations

import re
import subprocess
import tempfile
import zlib
from collections import defaultdict
from dataclasses import dataclass
from html import unescape
from pathlib import Path

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(
    r'<line xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</line>', re.S
)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_FILLED_SQUARE = re.compile(r"(-?[\d.]+) (-?[\d.]+) ([\d.]+) -([\d.]+) re f\b")


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


def _content_streams(pdf: bytes) -> list[str]:
    """The page content streams (fpdf2 deflates them; font programs and the like do not inflate)."""
    streams = []
    for match in _STREAM.finditer(pdf):
        try:
            streams.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return streams


def _modules(squares: list[tuple[float, float]], size: float) -> list[list[bool]]:
    left, top = min(x for x, _ in squares), max(y for _, y in squares)
    cells = {(round((top - y) / size), round((x - left) / size)) for x, y in squares}
    rows, columns = max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1
    return [[(r, c) in cells for c in range(columns)] for r in range(rows)]


def drawn_qr_codes(pdf: bytes) -> list[list[list[bool]]]:
    """The QR codes drawn on the pages, read back from their dark modules (the filled squares
    `qr.draw_qr` paints), each without its quiet zone: compare with `qr_matrix(text, border=0)` to
    know which address a phone that scans the printed form opens."""
    codes = []
    for stream in _content_streams(pdf):
        by_size: dict[float, list[tuple[float, float]]] = defaultdict(list)
        for x, y, w, h in _FILLED_SQUARE.findall(stream):
            if w == h:
                by_size[float(w)].append((float(x), float(y)))
        codes += [_modules(squares, size) for size, squares in by_size.items() if len(squares) >= 21 * 4]
    return codes
