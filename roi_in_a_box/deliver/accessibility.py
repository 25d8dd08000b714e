"""The accessibility report of a written document, in the spirit of LibreOffice's and
PowerPoint's checkers: title, language, alt text, heading order, contrast, table headers,
minimum text size.

Every check reads the file back (pikepdf for PDF, the package XML for DOCX and PPTX),
so the report says what a reader's tools will find, not what the engine meant to write.
Contrast comes from the brand's colours (the pairs the renderers draw text in).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from roi_in_a_box.brand.kit import CONTRAST_PAIRS, MIN_CONTRAST, contrast_ratio
from roi_in_a_box.brand.model import Brand

# Smallest text a reader should meet: print documents, slides (projected: larger).
MIN_TEXT_PT = {"pdf": 7.0, "docx": 7.0, "pptx": 8.0}
CHECKS = ("title", "language", "alt text", "heading order", "contrast", "table headers", "minimum text size")


@dataclass(frozen=True)
class Check:
    check: str
    ok: bool
    detail: str


def report(path: Path, fmt: str, brand: Brand) -> list[dict[str, object]]:
    """One entry per check in :data:`CHECKS` order: ``{"check", "ok", "detail"}``; nothing for
    a format it cannot read back (a format added through the renderer registry)."""
    reader = {"pdf": _pdf, "docx": _docx, "pptx": _pptx}.get(fmt)
    if reader is None:
        return []
    checks = reader(Path(path), fmt)
    checks.append(_contrast(brand))
    by_name = {c.check: c for c in checks}
    return [asdict(by_name[name]) for name in CHECKS]


def summary(entries: list[dict[str, object]]) -> str:
    """"7/7 accessibility checks pass" or which ones fail."""
    failed = [str(e["check"]) for e in entries if not e["ok"]]
    n = len(entries)
    return f"{n - len(failed)}/{n} accessibility checks pass" + (f" (failing: {', '.join(failed)})" if failed else "")


def _contrast(brand: Brand) -> Check:
    c = brand.colors
    pairs = [(fg, bg, getattr(c, fg), getattr(c, bg)) for fg, bg in CONTRAST_PAIRS]
    pairs.append(("white", "primary", "#FFFFFF", c.primary))  # table header and badge text
    ratios = [(contrast_ratio(a, b), f"{fg} on {bg}") for fg, bg, a, b in pairs]
    low = min(ratios)
    return Check("contrast", low[0] >= MIN_CONTRAST,
                 f"lowest {low[0]:.2f}:1 ({low[1]}); WCAG AA asks {MIN_CONTRAST}:1")


def _size(fmt: str, sizes: list[float]) -> Check:
    least = min(sizes, default=0.0)
    return Check("minimum text size", bool(sizes) and least >= MIN_TEXT_PT[fmt],
                 f"smallest {least:g} pt (at least {MIN_TEXT_PT[fmt]:g} pt)")


def _order(levels: list[int]) -> Check:
    """Headings start at the top level and never skip one going down."""
    bad = [f"{a}\u2192{b}" for a, b in zip([0, *levels], levels) if b > a + 1]
    return Check("heading order", bool(levels) and not bad,
                 f"{len(levels)} headings" + (f"; skipped levels: {', '.join(bad)}" if bad else ", no level skipped")
                 if levels else "no headings")


# --------------------------------------------------------------------------- PDF


def _pdf(path: Path, fmt: str) -> list[Check]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        root = pdf.Root
        title = str(pdf.docinfo.get("/Title", "")).strip()
        prefs = root.get("/ViewerPreferences")
        shows = bool(prefs is not None and prefs.get("/DisplayDocTitle", False))
        lang = str(root.get("/Lang", "")).strip()
        role_map = {str(k)[1:]: str(v)[1:] for k, v in root.StructTreeRoot.get("/RoleMap", {}).items()} \
            if "/StructTreeRoot" in root else {}
        elems = _struct_elements(root.StructTreeRoot.K) if "/StructTreeRoot" in root else []
        roles = [(role_map.get(str(e.S)[1:], str(e.S)[1:]), e) for e in elems]
        figures = [e for r, e in roles if r == "Figure"]
        no_alt = sum(1 for e in figures if not str(e.get("/Alt", "")).strip())
        levels = [int(r[1]) for r, _ in roles if re.fullmatch(r"H[1-6]", r)]
        tables = [e for r, e in roles if r == "Table"]
        headed = sum(1 for e in tables if any(str(x.S) == "/TH" for x in _struct_elements(e)))
        sizes: list[float] = []
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents or [])
            for s in streams:
                sizes += [float(x) for x in re.findall(rb"/[^\s/]+ ([\d.]+) Tf", s.read_bytes())]
    return [
        Check("title", bool(title) and shows, f"{title!r}" + ("" if shows else "; viewers show the file name")),
        Check("language", bool(lang), lang or "no /Lang"),
        Check("alt text", bool(elems) and no_alt == 0,
              f"{len(figures) - no_alt}/{len(figures)} figures described" if elems else "untagged"),
        _order(levels),
        Check("table headers", headed == len(tables), f"{headed}/{len(tables)} tables with header cells"),
        _size(fmt, sizes),
    ]


def _struct_elements(elem) -> list:
    """``elem`` and every structure element below it, in order."""
    import pikepdf

    out = [elem]
    kids = elem.get("/K")
    for k in (kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
        if isinstance(k, pikepdf.Dictionary) and "/S" in k:
            out += _struct_elements(k)
    return out


# --------------------------------------------------------------------------- Office


def _xml(z: zipfile.ZipFile, name: str) -> str:
    return z.read(name).decode("utf-8") if name in z.namelist() else ""


def _core(z: zipfile.ZipFile) -> tuple[str, str]:
    core = _xml(z, "docProps/core.xml")
    title = re.search(r"<dc:title>([^<]*)</dc:title>", core)
    lang = re.search(r"<dc:language>([^<]*)</dc:language>", core)
    return (title[1].strip() if title else ""), (lang[1].strip() if lang else "")


def _docx(path: Path, fmt: str) -> list[Check]:
    with zipfile.ZipFile(path) as z:
        body, styles = _xml(z, "word/document.xml"), _xml(z, "word/styles.xml")
        title, lang = _core(z)
    names = {m[0]: m[1].lower() for m in re.findall(
        r'<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>.*?<w:name w:val="([^"]+)"', styles, flags=re.S)}
    para_styles = re.findall(r'<w:p\b[^>]*>(?:<w:pPr>)?(?:<w:pStyle w:val="([^"]+)"/>)?', body)
    first = names.get(para_styles[0], "") if para_styles else ""
    if not lang:
        m = re.search(r'<w:docDefaults>.*?<w:lang w:val="([^"]+)"', styles, flags=re.S)
        lang = m[1] if m else ""
    levels = [int(n.split()[-1]) for s in para_styles if (n := names.get(s, "")).startswith("heading ")]
    pictures = re.findall(r"<wp:docPr\b[^>]*>", body)
    no_alt = sum(1 for p in pictures if not re.search(r'descr="[^"]*[^"\s]', p))
    # each table up to its first row's end; data tables carry a table style, the grids that
    # lay out tiles, cards and callouts have none (layout tables, which need no header)
    all_tables = re.findall(r"<w:tbl>.*?</w:tr>", body, flags=re.S)
    tables = [t for t in all_tables if "<w:tblStyle " in t.split("</w:tblPr>")[0]]
    headed = sum(1 for t in tables if "<w:tblHeader/>" in t)
    sizes = [int(v) / 2 for v in re.findall(r'<w:sz w:val="(\d+)"', body + styles)]
    return [
        Check("title", bool(title) and first == "title",
              f"{title!r}" + ("" if first == "title" else "; the first paragraph is not the Title style")),
        Check("language", bool(lang), lang or "no language"),
        Check("alt text", no_alt == 0, f"{len(pictures) - no_alt}/{len(pictures)} pictures described"),
        _order(levels),
        Check("table headers", headed == len(tables),
              f"{headed}/{len(tables)} data tables with a repeated header row ({len(all_tables) - len(tables)} layout tables)"),
        _size(fmt, sizes),
    ]


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_SHAPES = {_P + k for k in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp")}
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _pptx(path: Path, fmt: str) -> list[Check]:
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        title, lang = _core(z)
        slides = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                        key=lambda n: int(re.findall(r"\d+", n)[-1]))
        xml = {n: z.read(n) for n in slides}
        charts = [_xml(z, n) for n in z.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
    untitled, not_first, sizes = [], [], []
    pictures = no_alt = tables = headed = 0
    for i, n in enumerate(slides, 1):
        root = etree.fromstring(xml[n])
        tree = root.find(f"{_P}cSld/{_P}spTree")
        shapes = [el for el in tree if el.tag in _SHAPES] if tree is not None else []
        titled = [k for k, el in enumerate(shapes)
                  if any(ph.get("type") in ("title", "ctrTitle") for ph in el.iterfind(f"./*/{_P}nvPr/{_P}ph"))]
        if not titled:
            untitled.append(i)
        elif titled[0] != 0:
            not_first.append(i)
        for el in root.iter(f"{_P}pic", f"{_P}graphicFrame"):
            if el.tag == f"{_P}graphicFrame" and not any(g.get("uri") == _CHART_URI for g in el.iter(
                    "{http://schemas.openxmlformats.org/drawingml/2006/main}graphicData")):
                continue
            pictures += 1
            c_nv = next(el.iter(f"{_P}cNvPr"), None)
            no_alt += not (c_nv is not None and (c_nv.get("descr") or "").strip())
        text = xml[n].decode("utf-8")
        tables += text.count("<a:tbl>")
        headed += len(re.findall(r'<a:tblPr\b[^>]*firstRow="1"', text))
        sizes += [int(v) / 100 for v in re.findall(r'<a:(?:rPr|defRPr|endParaRPr)\b[^>]* sz="(\d+)"', text)]
    for c in charts:
        sizes += [int(v) / 100 for v in re.findall(r'<a:(?:rPr|defRPr)\b[^>]* sz="(\d+)"', c)]
    detail = f"{title!r}; {len(slides) - len(untitled)}/{len(slides)} slides titled"
    if not_first:
        detail += f"; title not first in reading order on slide(s) {', '.join(map(str, not_first))}"
    return [
        Check("title", bool(title) and not untitled and not not_first, detail),
        Check("language", bool(lang), lang or "no language"),
        Check("alt text", no_alt == 0, f"{pictures - no_alt}/{pictures} pictures and charts described"),
        Check("heading order", not untitled, f"{len(slides) - len(untitled)}/{len(slides)} slides have a title"),
        Check("table headers", headed == tables, f"{headed}/{tables} tables with a header row"),
        _size(fmt, sizes),
    ]
