"""Every place the engine reaches into a library's internals, with the version it was written for.

Two kinds: :data:`PATCHES` replace a library attribute (installed by :func:`install`, called
from the module that defines the replacement, so the code stays beside what it serves);
:data:`INTERNALS` are private names the engine reads or sets without replacing them.  Each
names the exact library version it was checked against.  ``install`` refuses a target that
no longer exists and warns when the installed version differs; ``tests/test_seams.py``
fails on any difference, so bumping a pin in ``requirements.lock`` means re-reading these.
"""

from __future__ import annotations

import importlib
import inspect
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any


@dataclass(frozen=True)
class Internal:
    name: str
    distribution: str  # the PyPI name whose version is checked
    written_for: str
    target: str  # "module:attribute.path"
    why: str
    instance_attr: str = ""  # an attribute the target class sets on its instances (checked in its source)


PATCHES: dict[str, Internal] = {p.name: p for p in (
    Internal("reportlab-shape-frag-word", "reportlab", "5.1.0", "reportlab.platypus.paragraph:shapeFragWord",
             "shaped words record their source text (ToUnicode, ActualText) and keep reading order: "
             "render/pdf/text.py _shape"),
    Internal("reportlab-format-text", "reportlab", "5.1.0", "reportlab.pdfgen.textobject:PDFTextObject._formatText",
             "words whose glyphs are moved by shaping get an ActualText span: render/pdf/tounicode.py"),
    Internal("reportlab-tounicode-cmap", "reportlab", "5.1.0", "reportlab.pdfbase.ttfonts:makeToUnicodeCMap",
             "a glyph code may read as several characters (a cluster's source text): render/pdf/tounicode.py"),
    Internal("reportlab-make-subset", "reportlab", "5.1.0", "reportlab.pdfbase.ttfonts:TTFontFile.makeSubset",
             "font subsets gain one composite glyph per shaped cluster: render/pdf/tounicode.py"),
    Internal("reportlab-tagged-format-text", "reportlab", "5.1.0",
             "reportlab.pdfgen.textobject:PDFTextObject._formatText",
             "runs in another language than their element get a /Lang span: render/pdf/tagging.py"),
    Internal("reportlab-draw-on", "reportlab", "5.1.0", "reportlab.platypus.flowables:Flowable.drawOn",
             "every flowable draws inside its structure element's marked content: render/pdf/tagging.py"),
    Internal("reportlab-split-on", "reportlab", "5.1.0", "reportlab.platypus.flowables:Flowable.splitOn",
             "split pieces keep their structure element: render/pdf/tagging.py"),
    Internal("reportlab-image-xobject", "reportlab", "5.1.0", "reportlab.pdfbase.pdfdoc:PDFImageXObject",
             "an image is compressed once per process, not once per document: render/pdf/images.py"),
    Internal("pptx-package-reader", "python-pptx", "1.0.2", "pptx.opc.serialized:_PhysPkgReader.factory",
             "a base presentation unzipped once per process is read from memory: render/pptx/writer.py"),
)}

INTERNALS: tuple[Internal, ...] = (
    Internal("reportlab-frag-words", "reportlab", "5.1.0", "reportlab.platypus.paragraph:_getFragWords",
             "ScriptParagraph splits words itself (Thai breaks): render/pdf/text.py"),
    Internal("reportlab-processed-frags", "reportlab", "5.1.0", "reportlab.platypus.paragraph:_processed_frags",
             "render/pdf/text.py"),
    Internal("reportlab-shaped-frag-word", "reportlab", "5.1.0", "reportlab.pdfbase.ttfonts:makeShapedFragWord",
             "cached shaping results are rebuilt as shaped words: render/pdf/text.py"),
    Internal("reportlab-frame-add", "reportlab", "5.1.0", "reportlab.platypus.frames:Frame._add",
             "page counting places flowables without drawing them: render/pdf/renderer.py _CountFrame"),
    Internal("reportlab-do-save", "reportlab", "5.1.0", "reportlab.platypus.doctemplate:BaseDocTemplate",
             "page counting skips serialising: render/pdf/renderer.py", instance_attr="_doSave"),
    Internal("pptx-sp-tree", "python-pptx", "1.0.2", "pptx.shapes.shapetree:_BaseShapes",
             "shapes are written as XML into the slide's tree: render/pptx/writer.py", instance_attr="_spTree"),
    Internal("pptx-chart-frame", "python-pptx", "1.0.2",
             "pptx.shapes.shapetree:SlideShapes._add_chart_graphicFrame",
             "a chart made once is reused by the next deck of a batch: render/pptx/writer.py"),
    Internal("pptx-workbook-writer", "python-pptx", "1.0.2", "pptx.chart.xlsx:CategoryWorkbookWriter._open_worksheet",
             "embedded chart workbooks get a fixed creation time: render/pptx/writer.py"),
    Internal("pptx-part-blob", "python-pptx", "1.0.2", "pptx.opc.package:Part",
             "a template's font table is rewritten in place: render/pptx/template.py", instance_attr="_blob"),
    Internal("docx-part-blob", "python-docx", "1.2.0", "docx.opc.part:Part",
             "the font table gets the embedded fonts: render/docx/font_embed.py", instance_attr="_blob"),
    Internal("pptx-next-partname", "python-pptx", "1.0.2", "pptx.opc.package:OpcPackage.next_partname",
             "part names are found without rescanning the package: render/pptx/writer.py _Partnames"),
)


def _resolve(target: str) -> tuple[Any, str]:
    module, _, path = target.partition(":")
    owner: Any = importlib.import_module(module)
    *parents, attr = path.split(".")
    for p in parents:
        owner = getattr(owner, p)
    return owner, attr


@lru_cache(maxsize=None)
def installed(distribution: str) -> str:
    return version(distribution)


def check(item: Internal) -> str | None:
    """Why ``item`` may no longer hold (a missing target or another version), or None."""
    owner, attr = _resolve(item.target)
    gone = not hasattr(owner, attr)
    if not gone and item.instance_attr:
        gone = f"self.{item.instance_attr} =" not in inspect.getsource(getattr(owner, attr))
    if gone:
        return f"{item.name}: {item.target} {item.instance_attr} is gone in {item.distribution} " \
               f"{installed(item.distribution)}"
    have = installed(item.distribution)
    if have != item.written_for:
        return f"{item.name}: written for {item.distribution} {item.written_for}, {have} is installed"
    return None


def install(name: str, replacement: Any) -> None:
    """Replace ``PATCHES[name]``'s target with ``replacement``: refused if the target is gone,
    with a warning if the library's version is not the one the patch was written for."""
    item = PATCHES[name]
    owner, attr = _resolve(item.target)
    if not hasattr(owner, attr):
        raise RuntimeError(f"cannot patch {item.target}: not in {item.distribution} {installed(item.distribution)} "
                           f"(the patch {name!r} was written for {item.written_for})")
    problem = check(item)
    if problem:
        warnings.warn(f"{problem}; check the patch ({item.why})", RuntimeWarning, stacklevel=2)
    setattr(owner, attr, replacement)
