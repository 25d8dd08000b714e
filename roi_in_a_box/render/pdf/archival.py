"""Tagged PDF, file side: one file valid as PDF/UA-1 and PDF/A-2a.

ReportLab writes the pages (with the marked content of ``render/pdf/tagging.py``); this
module adds, with pikepdf, what ReportLab cannot: the structure tree (StructTreeRoot,
ParentTree, RoleMap, MarkInfo), Link annotations tied to their Link elements (print flag,
``/Contents``, ``/StructParent``), the sRGB output intent (pikepdf's packaged ICC
profile), and XMP metadata that matches the Info dictionary (title, authors, publisher,
language, the study's publication date, ``pdfaid`` and ``pdfuaid`` with the extension
schema PDF/A asks for custom properties).  Streams are copied, not recompressed, and the
file ID is a hash of the content, so the same inputs give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from roi_in_a_box.render.pdf.tagging import MarkRef, StructNode, TaggingCanvas

# Project roles that are not standard structure types, and the standard type each is.
ROLE_MAP = {"Title": "H1"}
PRODUCER = "ReportLab PDF Library - www.reportlab.com; pikepdf"


@dataclass(frozen=True)
class Metadata:
    """What the XMP packet and the Info dictionary say about the document."""

    title: str
    language: str
    authors: tuple[str, ...]
    publisher: str
    subject: str
    keywords: tuple[str, ...]
    date: str  # ISO date (the study's publication date): creation and modification
    creator: str


@cache
def srgb_profile() -> bytes:
    """The sRGB IEC61966-2.1 profile that pikepdf ships (identical bytes every time)."""
    return (files("pikepdf") / "pdfa" / "data" / "sRGB.icc").read_bytes()


def escape(text: str) -> str:
    """XML character data, as ``xml.sax.saxutils.escape`` writes it (without importing
    ``xml.sax``, which brings urllib and http.client into every PDF build)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf_date(iso: str) -> str:
    y, m, d = (iso or "2000-01-01").split("-")[:3]
    return f"D:{y}{m}{d}000000+00'00'"


def _xmp_date(iso: str) -> str:
    return f"{iso or '2000-01-01'}T00:00:00+00:00"


def _li(values: tuple[str, ...] | list[str]) -> str:
    return "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)


def xmp_packet(meta: Metadata) -> bytes:
    """The XMP packet: Dublin Core, XMP basic, PDF, PDF/A and PDF/UA identification."""
    lang = escape(meta.language or "x-default")
    date = _xmp_date(meta.date)
    creators = [", ".join(meta.authors)] if meta.authors else [meta.publisher]
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq>{_li(creators)}</rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.subject)}</rdf:li></rdf:Alt></dc:description>
<dc:publisher><rdf:Bag>{_li([meta.publisher])}</rdf:Bag></dc:publisher>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<dc:date><rdf:Seq><rdf:li>{date}</rdf:li></rdf:Seq></dc:date>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>{escape(meta.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>{escape(PRODUCER)}</pdf:Producer>
<pdf:Keywords>{escape(", ".join(meta.keywords))}</pdf:Keywords>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>A</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return xml.encode("utf-8")


class _Writer:
    """Struct element objects for a node tree, with the ParentTree entries they need."""

    def __init__(self, pdf: pikepdf.Pdf, canvas: TaggingCanvas, doc_lang: str):
        self.pdf, self.canvas, self.doc_lang = pdf, canvas, doc_lang
        self.pages = [p.obj for p in pdf.pages]
        self.refs: dict[int, pikepdf.Object] = {}  # id(node) -> its struct element
        self.annots: dict[int, list[pikepdf.Object]] = {}
        for i, page in enumerate(pdf.pages):
            links = [a for a in page.obj.get("/Annots", Array()) if a.get("/Subtype") == Name.Link]
            recorded = canvas.links.get(i, [])
            if len(links) != len(recorded):
                raise RuntimeError(f"page {i + 1}: {len(links)} link annotations, {len(recorded)} drawn")
            self.annots[i] = links

    def element(self, node: StructNode) -> pikepdf.Object | None:
        """The struct element for ``node`` (its kids' first; their /P set here), or None
        when nothing of it was drawn (table cells stay: rows keep their columns)."""
        first_page = next((k.page for k in node.kids if isinstance(k, MarkRef)), None)
        kids: list = []
        children = []
        for k in node.kids:
            if isinstance(k, StructNode):
                child = self.element(k)
                if child is not None:
                    kids.append(child)
                    children.append(child)
            elif isinstance(k, MarkRef):
                kids.append(k.mcid if k.page == first_page else
                            Dictionary(Type=Name.MCR, Pg=self.pages[k.page], MCID=k.mcid))
            else:
                annot = self.annots[k.page][k.index]
                annot.F = 4  # print
                annot.Contents = String(k.contents)
                kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=self.pages[k.page]))
        if not kids and node.role not in ("TD", "TH"):
            return None
        d: dict[str, object] = {"/Type": Name.StructElem, "/S": Name("/" + node.role)}
        if first_page is not None:
            d["/Pg"] = self.pages[first_page]
        if kids:
            d["/K"] = kids[0] if len(kids) == 1 else Array(kids)
        if node.alt:
            d["/Alt"] = String(node.alt)
        if node.actual_text:
            d["/ActualText"] = String(node.actual_text)
        if node.lang and node.lang.split("-")[0] != self.doc_lang.split("-")[0]:
            d["/Lang"] = String(node.lang)
        if node.id:
            d["/ID"] = String(node.id)
        if node.scope:
            d["/A"] = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))
        elem = self.pdf.make_indirect(Dictionary(d))
        for child in children:
            child.P = elem
        self.refs[id(node)] = elem
        return elem


def finish(data: bytes, root: StructNode, canvas: TaggingCanvas, meta: Metadata) -> bytes:
    """``data`` (ReportLab's file) with the structure tree, metadata and output intent."""
    pdf = pikepdf.open(io.BytesIO(data))
    cat = pdf.Root
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    w = _Writer(pdf, canvas, meta.language)
    document = w.element(root)
    if document is None:  # nothing drawn at all (an empty tree): an empty Document
        document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document))
    document.P = tree
    tree.K = document
    nums = Array()
    for i, page in enumerate(pdf.pages):
        page.obj.StructParents = i
        nums.append(i)
        nums.append(pdf.make_indirect(Array([w.refs[id(n)] for n in canvas.marks.get(i, [])])))
        page.obj.Tabs = Name.S
    key = len(pdf.pages)
    for i in range(len(pdf.pages)):
        for annot, link in zip(w.annots[i], canvas.links.get(i, [])):
            if link is None or id(link) not in w.refs:
                annot.F = 4
                continue
            annot.StructParent = key
            nums.append(key)
            nums.append(w.refs[id(link)])
            key += 1
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = key
    tree.RoleMap = Dictionary({f"/{k}": Name("/" + v) for k, v in ROLE_MAP.items()})
    cat.StructTreeRoot = tree
    cat.MarkInfo = Dictionary(Marked=True)
    if meta.language:
        cat.Lang = String(meta.language)
    cat.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    profile = pdf.make_stream(srgb_profile())
    profile.N = 3
    cat.OutputIntents = Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB IEC61966-2.1"),
        Info=String("sRGB IEC61966-2.1"), DestOutputProfile=profile)])
    xmp = pdf.make_stream(xmp_packet(meta))
    xmp.Type, xmp.Subtype = Name.Metadata, Name.XML
    cat.Metadata = xmp
    info = pdf.make_indirect(Dictionary(
        Title=String(meta.title), Author=String(", ".join(meta.authors) if meta.authors else meta.publisher),
        Subject=String(meta.subject), Keywords=String(", ".join(meta.keywords)), Creator=String(meta.creator),
        Producer=String(PRODUCER), CreationDate=String(_pdf_date(meta.date)), ModDate=String(_pdf_date(meta.date))))
    pdf.trailer.Info = info
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, fix_metadata_version=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
             compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()
