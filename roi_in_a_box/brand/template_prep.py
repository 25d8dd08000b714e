"""Company templates as the renderers can use them: the files companies really have, made
into a plain package before the safety check and before python-docx/python-pptx open them.

What is changed, and why each change is safe:

* ``.potx``/``.dotx``: the main part's *template* content type becomes the presentation/
  document one (python-pptx refuses the template type; python-docx too).
* Content the renderers throw away anyway is removed first, so the external-link rule
  judges only what would survive into an output: a reference.docx's body text, its
  footnotes, endnotes and comments (pandoc's default reference.docx links
  ``http://example.com`` from them), and a PowerPoint template's example slides and their
  notes.  External relationships that would survive (headers, footers, styles, masters,
  layouts) are still refused by :mod:`roi_in_a_box.brand.template_check`.
* Styles and settings with child elements out of schema order (Word calls the file
  damaged) are put in order; a missing base table style is added.
* A presentation without ``ppt/viewProps.xml`` or ``ppt/presProps.xml`` (PowerPoint offers
  to repair it) gets a minimal one.
* A paragraph style that starts a new page before every paragraph (``w:pageBreakBefore``,
  as book-like reference documents set on Heading 1) loses that property: the engine
  places its own page breaks, and a two-page case study would otherwise have one heading
  per page, half of each empty.
* ``w:divs`` in ``word/webSettings.xml`` (the HTML divisions Word keeps from pasted web
  content; openxml-audit reports their nesting as schema errors) are dropped when nothing
  that survives refers to them (``w:divId``): they belonged to the discarded body.

Repairs and dropped links are reported as notes (the renderers pass them on as warnings).
"""

from __future__ import annotations

import io
import posixpath
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

_CT = "[Content_Types].xml"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TEMPLATE_TYPES = {
    b"presentationml.template.main+xml": b"presentationml.presentation.main+xml",
    b"wordprocessingml.template.main+xml": b"wordprocessingml.document.main+xml",
}
_VIEW_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.viewProps+xml"
_VIEW_PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/viewProps"
_VIEW_PROPS_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   b'<p:viewPr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                   b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                   b'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
                   b'<p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr>'
                   b'<p:gridSpacing cx="76200" cy="76200"/></p:viewPr>')
# parts whose content a render discards: their external links never reach an output
_DOCX_DISCARDED = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml", "word/comments.xml")
_PPTX_DISCARDED = re.compile(r"^ppt/(slides|notesSlides)/[^/]+\.xml$")
_PRES_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presProps+xml"
_PRES_PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/presProps"
_PRES_PROPS_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   b'<p:presentationPr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                   b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                   b'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>')
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True)
class Prepared:
    data: bytes
    notes: tuple[str, ...]


_cache: dict[tuple, Prepared] = {}
_lock = threading.Lock()


def prepare(path: Path, kind: str) -> Prepared:
    """``path`` made usable as a ``kind`` (``docx``/``pptx``) template, cached by file identity.

    Not a zip, or XML that does not parse: returned unchanged, for the safety check to
    report."""
    st = Path(path).stat()
    key = (str(path), st.st_mtime_ns, st.st_size, kind)
    with _lock:
        hit = _cache.get(key)
        if hit is None:
            hit = prepare_bytes(Path(path).read_bytes(), kind)
            if len(_cache) > 32:
                _cache.clear()
            _cache[key] = hit
    return hit


def prepare_bytes(data: bytes, kind: str) -> Prepared:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if _CT not in names or any(n.startswith("/") or ".." in n.split("/") for n in names):
                return Prepared(data, ())
            parts = {n: z.read(n) for n in names}
    except (zipfile.BadZipFile, OSError, ValueError):
        return Prepared(data, ())
    # refused by the safety check, never parsed here; only XML parts count (a Mac printer
    # settings part, ppt/printerSettings/*.bin, is a property list with a DOCTYPE)
    if any(re.search(rb"<!DOCTYPE|<!ENTITY", d, re.I) for n, d in parts.items() if n.lower().endswith((".xml", ".rels"))):
        return Prepared(data, ())
    notes: list[str] = []
    try:
        _relabel(parts, notes)
        if kind == "docx":
            _discard_docx_body(parts, notes)
            _drop_local_attached_template(parts, notes)
            repair_docx_schema(parts, notes)
            _drop_style_page_breaks(parts, notes)
            _drop_web_divisions(parts, notes)
            _drop_bibliography(parts, notes)
        elif kind == "pptx":
            _discard_pptx_slides(parts, notes)
            _add_missing_props(parts, notes)
    except etree.XMLSyntaxError:
        return Prepared(data, ())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in [_CT] + [n for n in parts if n != _CT]:
            info = zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name])
    return Prepared(out.getvalue(), tuple(notes))


def _relabel(parts: dict[str, bytes], notes: list[str]) -> None:
    ct = parts[_CT]
    for old, new in _TEMPLATE_TYPES.items():
        if old in ct:
            ct = ct.replace(old, new)
            kind = "PowerPoint" if b"presentation" in new else "Word"
            notes.append(f"{kind} template (.{'potx' if kind == 'PowerPoint' else 'dotx'}) used as a plain "
                         f"{'presentation' if kind == 'PowerPoint' else 'document'}")
    parts[_CT] = ct


def _rels_name(part: str) -> str:
    d, f = posixpath.split(part)
    return posixpath.join(d, "_rels", f + ".rels")


def _drop_unreferenced_external(parts: dict[str, bytes], part: str) -> int:
    """Remove the external relationships of ``part`` that its XML no longer uses."""
    rels = _rels_name(part)
    if rels not in parts:
        return 0
    used = set()
    if part in parts:
        for el in etree.fromstring(parts[part], _PARSER).iter():
            for k, v in el.attrib.items():
                if k.startswith("{" + _R_NS + "}"):
                    used.add(v)
    root = etree.fromstring(parts[rels], _PARSER)
    dropped = 0
    for rel in list(root):
        if rel.get("TargetMode") == "External" and rel.get("Id") not in used:
            root.remove(rel)
            dropped += 1
    if dropped:
        parts[rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return dropped


def _discard_docx_body(parts: dict[str, bytes], notes: list[str]) -> None:
    removed = 0
    for name in _DOCX_DISCARDED:
        if name not in parts:
            continue
        root = etree.fromstring(parts[name], _PARSER)
        kept: tuple[str, ...] = ()
        if name == "word/document.xml":
            body = root.find(f"{_W}body")
            kept = (f"{_W}sectPr",)
        else:  # footnotes/endnotes keep their separators; comments keep nothing
            body = root
        if body is None:
            continue
        for child in list(body):
            if child.tag in kept or child.get(f"{_W}type") in ("separator", "continuationSeparator",
                                                               "continuationNotice"):
                continue
            if name == "word/document.xml" and child.tag == f"{_W}p" and not "".join(child.itertext()).strip() \
                    and child.find(f".//{_W}drawing") is None:
                body.remove(child)  # an empty paragraph: not worth a note
                continue
            body.remove(child)
            removed += 1
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    links = sum(_drop_unreferenced_external(parts, n) for n in _DOCX_DISCARDED)
    if removed and links:
        notes.append(f"reference document: its body text, notes and comments are not used, nor the {links} "
                     "external link(s) they held")


_ATTACHED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
# a path on the author's own disk: file:///C:/..., C:\..., a relative path; not \\server or a URL with a host
_LOCAL_TARGET = re.compile(r"(?i)^(file:/{3}(?!/)|[a-z]:[\\/]|(?![a-z][a-z0-9+.-]*:|[\\/]{2}))")


def _drop_local_attached_template(parts: dict[str, bytes], notes: list[str]) -> None:
    """Remove the link to the template a document was made from (``w:attachedTemplate``)
    when it names a file on the author's computer, as Word writes for every document made
    from a .dotx: nothing is fetched from it, and it would carry the author's path into
    every output.  A link to a server or URL is left for the safety check to refuse."""
    rels_name, name = "word/_rels/settings.xml.rels", "word/settings.xml"
    if rels_name not in parts or name not in parts:
        return
    rels = etree.fromstring(parts[rels_name], _PARSER)
    local = {r.get("Id"): r.get("Target", "") for r in rels
             if r.get("Type") == _ATTACHED_REL and (r.get("TargetMode") or "").lower() == "external"
             and _LOCAL_TARGET.match(r.get("Target", "").strip())}
    if not local:
        return
    settings = etree.fromstring(parts[name], _PARSER)
    for el in settings.findall(f"{_W}attachedTemplate"):
        if el.get(f"{{{_R_NS}}}id") in local:
            settings.remove(el)
    if any(v in local for el in settings.iter() for k, v in el.attrib.items() if k.startswith("{" + _R_NS + "}")):
        return  # still used elsewhere: left for the safety check
    for rel in list(rels):
        if rel.get("Id") in local:
            rels.remove(rel)
    parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts[name] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)
    notes.append("reference document: its link to the template it was made from, a file on the author's computer "
                 f"({', '.join(repr(t) for t in local.values())}), removed (attachedTemplate)")


def _discard_pptx_slides(parts: dict[str, bytes], notes: list[str]) -> None:
    slides = [n for n in parts if _PPTX_DISCARDED.match(n)]
    links = 0
    for name in slides:
        rels = _rels_name(name)
        if rels in parts:
            root = etree.fromstring(parts[rels], _PARSER)
            for rel in list(root):
                if rel.get("TargetMode") == "External":
                    root.remove(rel)
                    links += 1
            parts[rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    n = sum(1 for s in slides if s.startswith("ppt/slides/"))
    if n and links:
        notes.append(f"template: its {n} example slide(s) are not used, nor the {links} external link(s) they held")


def _add_missing_props(parts: dict[str, bytes], notes: list[str]) -> None:
    for part, ctype, rel, xml, what in (
            ("viewProps.xml", _VIEW_PROPS_TYPE, _VIEW_PROPS_REL, _VIEW_PROPS_XML, "view properties"),
            ("presProps.xml", _PRES_PROPS_TYPE, _PRES_PROPS_REL, _PRES_PROPS_XML, "presentation properties")):
        if _add_pres_part(parts, part, ctype, rel, xml):
            notes.append(f"template had no {what} part (PowerPoint would offer to repair it): added")


def _add_pres_part(parts: dict[str, bytes], part: str, ctype: str, rel_type: str, xml: bytes) -> bool:
    """Add ``ppt/<part>`` (and its relationship and content type) when the presentation has none."""
    pres_rels = "ppt/_rels/presentation.xml.rels"
    if pres_rels not in parts or any(n.lower() == f"ppt/{part}".lower() for n in parts):
        return False
    root = etree.fromstring(parts[pres_rels], _PARSER)
    if any(r.get("Type") == rel_type for r in root):
        return False
    ids = {r.get("Id") for r in root}
    n = 1
    while f"rIdProps{n}" in ids:
        n += 1
    etree.SubElement(root, f"{_REL_NS}Relationship", Id=f"rIdProps{n}", Type=rel_type, Target=part)
    parts[pres_rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts[f"ppt/{part}"] = xml
    parts[_CT] = parts[_CT].replace(b"</Types>", f'<Override PartName="/ppt/{part}" ContentType="{ctype}"/>'
                                    "</Types>".encode())
    return True


def _drop_style_page_breaks(parts: dict[str, bytes], notes: list[str]) -> None:
    name = "word/styles.xml"
    if name not in parts:
        return
    root = etree.fromstring(parts[name], _PARSER)
    named = []
    for style in root.iter(f"{_W}style"):
        for el in style.findall(f"{_W}pPr/{_W}pageBreakBefore"):
            if el.get(f"{_W}val", "true").lower() in ("0", "false", "off"):
                continue
            el.getparent().remove(el)
            label = style.find(f"{_W}name")
            named.append(label.get(f"{_W}val") if label is not None else style.get(f"{_W}styleId"))
    if named:
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        notes.append(f"reference document: style(s) {', '.join(repr(n) for n in named)} start a new page before "
                     "every paragraph (w:pageBreakBefore); removed, since the layouts place their own page breaks")


def _drop_web_divisions(parts: dict[str, bytes], notes: list[str]) -> None:
    name = "word/webSettings.xml"
    if name not in parts or b"divs" not in parts[name]:
        return
    if any(b"divId" in data for part, data in parts.items() if part.startswith("word/") and part != name):
        return  # a header, footer or style still points at one of them
    root = etree.fromstring(parts[name], _PARSER)
    divs = root.findall(f"{_W}divs")
    if not divs:
        return
    for el in divs:
        root.remove(el)
    parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    notes.append("reference document: the HTML divisions in its web settings (left by pasted web content, "
                 "used only by the discarded body) removed")


_BIB_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/bibliography"


def _drop_bibliography(parts: dict[str, bytes], notes: list[str]) -> None:
    """Remove the bibliography's source list (``customXml/itemN.xml`` with a ``b:Sources``
    root, which Word adds to every document): only the discarded body's citations use it,
    and openxml-audit reports the ``Version`` attribute Word writes on it as undeclared."""
    items = [n for n, data in parts.items() if re.fullmatch(r"customXml/item\d+\.xml", n)
             and _BIB_NS in data[:600] and etree.QName(etree.fromstring(data, _PARSER)).localname == "Sources"]
    if not items:
        return
    doc_rels = "word/_rels/document.xml.rels"
    for item in items:
        rels = _rels_name(item)
        if rels in parts:  # the item's properties part
            for rel in etree.fromstring(parts[rels], _PARSER):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(item), rel.get("Target", "")))
                parts.pop(target, None)
                parts[_CT] = re.sub(rb'<Override[^>]*PartName="/' + re.escape(target.encode()) + rb'"[^>]*/>', b"",
                                    parts[_CT])
            del parts[rels]
        del parts[item]
    if doc_rels in parts:
        root = etree.fromstring(parts[doc_rels], _PARSER)
        for rel in list(root):
            target = posixpath.normpath(posixpath.join("word", rel.get("Target", "")))
            if rel.get("TargetMode") != "External" and target in items:
                root.remove(rel)
        parts[doc_rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    notes.append("reference document: its bibliography source list (custom XML used only by the discarded body's "
                 "citations) removed")


# --------------------------------------------------------------------------- schema order (WordprocessingML)
#
# Templates written by other tools (pandoc's reference.docx among them) put child elements
# out of the order the schema's sequences require; Word then reports the file as damaged.
# Reordering children by the sequence is safe: the same elements, the same meaning.

_SEQ = {
    "style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
             "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
           "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
           "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
            "hideMark headers cellIns cellDel cellMerge tcPrChange",
    "settings": "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
                "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData "
                "embedTrueTypeFonts embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins "
                "alignBordersAndEdges bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop "
                "hideSpellingErrors hideGrammaticalErrors activeWritingStyle proofState formsDesign "
                "attachedTemplate linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
                "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
                "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
                "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
                "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting "
                "bookFoldPrintingSheets drawingGridHorizontalSpacing drawingGridVerticalSpacing "
                "displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
                "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin "
                "doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne "
                "strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture "
                "doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText "
                "doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
                "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars "
                "rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
                "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType "
                "schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator",
}
_SEQ["pPr"] = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
               "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
               "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
               "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange")
_ORDER = {tag: {name: i for i, name in enumerate(seq.split())} for tag, seq in _SEQ.items()}
# settings' one child from another namespace (m:mathPr, between w:rsids and w:attachedSchema)
_SEQ_NS = {_W[1:-1], "http://schemas.openxmlformats.org/officeDocument/2006/math"}
_TABLE_NORMAL = (
    f'<w:style xmlns:w="{_W[1:-1]}" w:type="table" w:default="1" w:styleId="TableNormal">'
    '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style>")


def _reorder(root) -> int:
    """Put the children of every element named in ``_SEQ`` (in the w: namespace) in schema order."""
    moved = 0
    for el in root.iter(*(f"{_W}{t}" for t in _ORDER)):
        order = _ORDER[etree.QName(el).localname]
        children = list(el)
        keys, last = [], -1
        for c in children:  # an element the sequence does not know stays after its predecessor
            q = etree.QName(c) if isinstance(c.tag, str) else None
            if q is not None and q.namespace in _SEQ_NS and q.localname in order:
                last = order[q.localname]
            keys.append(last)
        ranked = [c for _, _, c in sorted(zip(keys, range(len(children)), children), key=lambda t: (t[0], t[1]))]
        if ranked != children:
            moved += 1
            for c in children:
                el.remove(c)
            el.extend(ranked)
    return moved


def _drop_dangling_style_links(root) -> int:
    """Remove ``basedOn``/``next``/``link`` naming a style the document does not have (pandoc's
    source-code token styles are based on 'VerbatimChar', which a Word round trip can drop):
    Word treats them as absent anyway, and openxml-audit reports each."""
    ids = {s.get(f"{_W}styleId") for s in root.iter(f"{_W}style")}
    dropped = 0
    for style in root.iter(f"{_W}style"):
        for el in style.findall(f"{_W}basedOn") + style.findall(f"{_W}next") + style.findall(f"{_W}link"):
            if el.get(f"{_W}val") not in ids:
                style.remove(el)
                dropped += 1
    return dropped


def _pad_numbering_ids(parts: dict[str, bytes]) -> int:
    """List ids (``w:nsid``, ``w:tmpl``) are 8 hex digits; some writers drop the leading zeros
    ('1A2B'), which openxml-audit reports.  Zero-padded: the same number."""
    name = "word/numbering.xml"
    if name not in parts:
        return 0
    root = etree.fromstring(parts[name], _PARSER)
    padded = 0
    for el in root.iter(f"{_W}nsid", f"{_W}tmpl"):
        val = el.get(f"{_W}val", "")
        if re.fullmatch(r"[0-9A-Fa-f]{1,7}", val):
            el.set(f"{_W}val", val.upper().zfill(8))
            padded += 1
    if padded:
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return padded


def repair_docx_schema(parts: dict[str, bytes], notes: list[str]) -> None:
    """Children in schema order in styles and settings; a missing ``TableNormal`` (the base
    table style every table style, the engine's too, is based on) added."""
    fixed = 0
    for name in ("word/styles.xml", "word/settings.xml"):
        if name not in parts:
            continue
        root = etree.fromstring(parts[name], _PARSER)
        n = _reorder(root)
        if name == "word/styles.xml":
            ids = {s.get(f"{_W}styleId") for s in root.iter(f"{_W}style")}
            if "TableNormal" not in ids:  # the engine's table style is based on it, and others may be
                style = etree.fromstring(_TABLE_NORMAL)
                if any(s.get(f"{_W}type") == "table" and s.get(f"{_W}default") in ("1", "true")
                       for s in root.iter(f"{_W}style")):
                    del style.attrib[f"{_W}default"]
                root.append(style)
                n += 1
            n += _drop_dangling_style_links(root)
        if n:
            fixed += n
            parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    fixed += _pad_numbering_ids(parts)
    if fixed:
        notes.append(f"reference document: {fixed} style/settings/numbering element(s) out of schema order, missing or "
                     "naming a style it lacks, repaired")


def problems(path: Path, kind: str) -> list[str]:
    """The safety check's reasons to refuse ``path``, judged on what would reach an output:
    the file's name (macro-enabled extensions) and the prepared package's content."""
    from .template_check import _MACRO_EXTENSIONS, check_ooxml_template

    found = []
    if str(path).lower().endswith(_MACRO_EXTENSIONS):
        plain = ".pptx/.potx" if kind == "pptx" else ".docx/.dotx"
        found.append(f"macro-enabled file type ({Path(path).suffix}; File > Save As {plain} leaves the macros out)")
    data = prepare(Path(path), kind).data
    found += check_ooxml_template(io.BytesIO(data), kind)
    if kind == "pptx" and not found:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if not any(re.fullmatch(r"ppt/slideLayouts/[^/]+\.xml", n) for n in z.namelist()):
                found.append("its slide master has no slide layouts, so no slide can be made from it (in PowerPoint: "
                             "View > Slide Master, Insert Layout for a title slide and a title and content slide, "
                             "and save)")
    return found


def checked(path: Path, kind: str) -> Prepared:
    """The prepared template, or :class:`TemplateRejected` listing every problem."""
    from .template_check import TemplateRejected

    found = problems(path, kind)
    if found:
        raise TemplateRejected(str(path), found)
    return prepare(Path(path), kind)
