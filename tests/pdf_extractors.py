"""Text as four independent PDF readers extract it, and which drawn strings come back verbatim.

The readers: poppler (``pdftotext``), pdfminer.six (through pdfplumber, reading characters
in the order the page draws them), PDFium (pypdfium2, the engine in Chrome) and pypdf;
beside them pdfplumber's default, which orders characters by position.  A drawn string counts as verbatim for a reader when the
reader's text of the whole document contains it with the same code points; whitespace is
removed from both sides first (readers put a line break where a line wrapped, and drop the
space there), nothing else is normalised.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

from roi_in_a_box.render.pdf import text as pdf_text
from roi_in_a_box.text.scripts import BENGALI, THAI, script_of


def poppler(path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise FileNotFoundError(2, "not found", "pdftotext")
    return subprocess.run([exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()


def pdfminer(path: Path) -> str:
    """pdfplumber reading characters in the order the page draws them (``use_text_flow``)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text(use_text_flow=True) or "" for page in pdf.pages)


def pdfminer_by_position(path: Path) -> str:
    """pdfplumber's default: characters sorted into lines by position across the whole page."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdfium(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def pypdf(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


EXTRACTORS: dict[str, Callable[[Path], str]] = {"pdftotext": poppler, "pdfplumber": pdfminer,
                                                "pypdfium2": pdfium, "pypdf": pypdf}
# Not a fifth reader: pdfplumber's other reading order, measured beside the four.
BY_POSITION: dict[str, Callable[[Path], str]] = {"pdfplumber by position": pdfminer_by_position}


def squash(s: str) -> str:
    return "".join(s.split())


def script(s: str) -> str:
    """"bn", "th" or "en": the first Bengali or Thai letter decides."""
    for ch in s:
        sc = script_of(ch)
        if sc == BENGALI:
            return "bn"
        if sc == THAI:
            return "th"
    return "en"


class Drawn(str):
    """A drawn string, with where it was drawn: ``page`` (1-based) and ``box`` (left,
    bottom, right, top in PDF points)."""

    page: int
    box: tuple[float, float, float, float]

    def __new__(cls, text: str, page: int, box: tuple[float, float, float, float]) -> Drawn:
        self = super().__new__(cls, text)
        self.page, self.box = page, box
        return self


@contextlib.contextmanager
def recording() -> Iterator[list[str]]:
    """Every string the PDF renderer draws as a paragraph or label while the block runs
    (layout passes that only count pages draw nothing and record nothing), as
    :class:`Drawn` strings."""
    drawn: list[str] = []
    original = pdf_text.ScriptParagraph.drawOn

    def draw_on(self, canvas, x, y, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.source_text.strip():
            a, b, c, d, e, f = canvas._currentMatrix  # the flowables' translations on the way down
            left, bottom = a * x + c * y + e, b * x + d * y + f
            drawn.append(Drawn(self.source_text, canvas.getPageNumber(),
                               (left, bottom, left + a * self.width, bottom + d * self.height)))
        return original(self, canvas, x, y, *args, **kwargs)

    pdf_text.ScriptParagraph.drawOn = draw_on  # type: ignore[method-assign]
    try:
        yield drawn
    finally:
        pdf_text.ScriptParagraph.drawOn = original  # type: ignore[method-assign]


def by_block(path: Path, drawn: list[str]) -> list[tuple[str, str, str]]:
    """pdfplumber's default ``extract_text()`` of each drawn string's own box (cropped, 1
    point of slack, 2 above and below): ``[(string, script, "verbatim" | "missing"), ...]``
    for the :class:`Drawn` strings among ``drawn``."""
    import pdfplumber

    rows = []
    with pdfplumber.open(str(path)) as pdf:
        for s in drawn:
            if not isinstance(s, Drawn):
                continue
            page = pdf.pages[s.page - 1]
            x0, y0, x1, y1 = s.box
            crop = page.crop((max(0, x0 - 1), max(0, page.height - y1 - 2), min(page.width, x1 + 1),
                              min(page.height, page.height - y0 + 2)))
            rows.append((str(s), script(s), "verbatim" if squash(s) in squash(crop.extract_text() or "") else "missing"))
    return rows


def verbatim(path: Path, drawn: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """``{reader: [(string, script, status), ...]}`` for the strings ``drawn`` into ``path``.

    Status: "verbatim"; "hyphen" when the string is found only with a hyphen left out
    (pdftotext and PDFium drop a hyphen that ends a line, as if it were a soft hyphen:
    "mid-" + "market" reads "midmarket"); else "missing"."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for name, extract in {**EXTRACTORS, **BY_POSITION}.items():
        found = squash(extract(path))
        dehyphenated = found.replace("-", "")
        rows = out.setdefault(name, [])
        for s in drawn:
            q = squash(s)
            if q:
                status = ("verbatim" if q in found else "hyphen" if "-" in q and q.replace("-", "") in dehyphenated
                          else "missing")
                rows.append((s, script(s), status))
    return out
