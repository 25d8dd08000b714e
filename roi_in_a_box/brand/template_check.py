"""Safety checks for company OOXML templates (.docx/.dotx and .pptx/.potx), before any library opens them.

A template is a zip of XML parts written by somebody else.  We refuse, with a readable
reason per problem:

* macro-enabled content: ``*.macroEnabled*`` content types (``.docm``/``.dotm``/``.pptm``/
  ``.potm``), ``vbaProject.bin``/``vbaData.xml`` parts, ActiveX controls, OLE ``.bin``
  embeddings;
* external relationships (``TargetMode="External"``, in any letter case), e.g. ``attachedTemplate`` pointing at
  a server (Word fetches it on open), linked images/OLE objects, sub-documents.  The one
  exception is a hyperlink relationship to an ``https:`` or ``mailto:`` address;
* XML with a DOCTYPE (entity expansion, external entities);
* zip trouble: not a zip, absolute or ``..`` entry names, more than 5,000 entries or
  more than 200 MB uncompressed (zip bombs);
* when ``kind`` is given, a main part that is not a Word document/template (``docx``) or a
  PowerPoint presentation/template (``pptx``).

python-docx and python-pptx would otherwise open a ``.pptm``/``.docm`` happily and keep a
remote ``attachedTemplate`` through load/save (see /work/shared/notes/measured-facts.md).
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import IO, Union

from lxml import etree

_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_SAFE_LINK = ("https:", "mailto:")
MAX_ENTRIES = 5000
MAX_UNCOMPRESSED = 200 * 1024 * 1024

MAIN_TYPES = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
    ),
}
# what a user can do about a refused link, by relationship type
_HINTS = {
    "attachedTemplate": " (Word fetches this template when the document opens; in Word, Developer > Document "
                        "Template: clear 'Document template' and save, or save the styles into a new blank document)",
    "image": " (a linked picture: in PowerPoint/Word, insert the picture itself instead of a link, and save)",
    "oleObject": " (a linked object: paste it as a picture, or remove it, and save)",
}
_MACRO_EXTENSIONS = (".docm", ".dotm", ".pptm", ".potm", ".ppsm", ".xlsm", ".xltm")
_BAD_PART_WORDS = ("vbaproject", "vbadata", "activex")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

Source = Union[str, Path, IO[bytes]]


class TemplateRejected(ValueError):
    """A company template failed :func:`check_ooxml_template`; ``problems`` lists why."""

    def __init__(self, name: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"template {name} rejected: " + "; ".join(problems))


def _parse(data: bytes, name: str, problems: list[str]):
    """The parsed part, or ``None`` with a problem: not XML, or XML with a DOCTYPE.

    Parsed, not pattern-matched, so a DOCTYPE in a UTF-16 part or after a long comment is
    found as surely as one on the first line (entities are never expanded).
    """
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        problems.append(f"{name}: not well-formed XML ({exc})")
        return None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        problems.append(f"{name}: XML with a DOCTYPE/ENTITY declaration")
        return None
    return root


def check_ooxml_template(path: Source, kind: str | None = None) -> list[str]:
    """Every reason not to use ``path`` as a template; an empty list means it is acceptable.

    ``kind``: ``"docx"`` or ``"pptx"`` to also require that kind of main part.  Works on
    paths and binary file objects; never raises for a bad template (only for a bad ``kind``).
    """
    if kind is not None and kind not in MAIN_TYPES:
        raise ValueError(f"kind must be 'docx', 'pptx' or None, not {kind!r}")
    problems: list[str] = []
    if isinstance(path, (str, Path)) and str(path).lower().endswith(_MACRO_EXTENSIONS):
        problems.append(f"macro-enabled file type ({Path(path).suffix})")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return problems + [f"not an OOXML package (zip): {exc}"]
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            return problems + [f"{len(infos)} zip entries (limit {MAX_ENTRIES})"]
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            return problems + [f"{total} bytes uncompressed (limit {MAX_UNCOMPRESSED})"]
        names = [i.filename for i in infos]
        for n in names:
            if n.startswith("/") or "\\" in n or ".." in n.split("/"):
                problems.append(f"unsafe zip entry name {n!r}")
            low = n.lower()
            if any(w in low for w in _BAD_PART_WORDS):
                problems.append(f"macro/ActiveX part {n}")
            elif "/embeddings/" in low and low.endswith(".bin"):
                problems.append(f"embedded OLE object {n}")
        if "[Content_Types].xml" not in names:
            return problems + ["no [Content_Types].xml: not an OOXML package"]

        ct = _parse(zf.read("[Content_Types].xml"), "[Content_Types].xml", problems)
        main_types: set[str] = set()
        if ct is not None:
            for el in ct:
                ctype = el.get("ContentType", "")
                if "macroenabled" in ctype.lower() or "vbaproject" in ctype.lower():
                    where = el.get("PartName") or f"*.{el.get('Extension')}"
                    problems.append(f"macro-enabled content type {ctype} ({where})")
                if el.tag == f"{_CT_NS}Override":
                    main_types.add(ctype)

        for n in names:
            if not n.endswith(".rels"):
                continue
            root = _parse(zf.read(n), n, problems)
            if root is None:
                continue
            for rel in root.iter(f"{_REL_NS}Relationship"):
                if (rel.get("TargetMode") or "").strip().lower() != "external":
                    continue
                rtype, target = rel.get("Type", ""), rel.get("Target", "")
                if rtype == _HYPERLINK_REL and target.strip().lower().startswith(_SAFE_LINK):
                    continue
                short = posixpath.basename(rtype) or rtype
                problems.append(f"external relationship in {n}: {short} -> {target!r}" + _HINTS.get(short, ""))

        for n in names:  # every other XML part (content parts are parsed by the libraries later)
            if n.lower().endswith(".xml") and n != "[Content_Types].xml":
                _parse(zf.read(n), n, problems)

        if kind is not None and ct is not None and not main_types & set(MAIN_TYPES[kind]):
            problems.append(f"not a {kind} package (no {kind} main document part)")
    return problems


def ensure_clean_template(path: Source, kind: str | None = None) -> None:
    """Raise :class:`TemplateRejected` listing every problem :func:`check_ooxml_template` finds."""
    problems = check_ooxml_template(path, kind)
    if problems:
        raise TemplateRejected(str(path), problems)
