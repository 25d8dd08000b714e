"""Images decoded and compressed once per process, not once per document.

A logo is the same file in every document of a build or a batch, and ReportLab decodes
it, splits off its alpha channel and compresses both again for each.  :func:`reader`
keeps one decoded image per file, and :class:`ReusedImage` (installed in ReportLab's
place) keeps what making its PDF image object works out (size, colour space, compressed
samples, soft mask) per decoded image; every document still gets objects of its own
carrying the same values, so the bytes written are the same as without the caches.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc

from roi_in_a_box import patches
from roi_in_a_box.caches import NamedCache

_FIELDS = ("width", "height", "bitsPerComponent", "colorSpace", "_filters", "streamContent", "mask", "_decode",
           "_dotrans")
_READERS: NamedCache[tuple[str, int, int], ImageReader] = NamedCache("pdf.image_readers", 32)
# (id of a cached reader, mask) -> (that reader, the loaded fields, the soft mask's object)
_OBJECTS: NamedCache[tuple[int, str], tuple[Any, dict[str, Any], Any]] = NamedCache("pdf.image_objects", 64)


def reader(path: Path) -> ImageReader:
    """The decoded image at ``path``, shared by every document of this process."""
    st = os.stat(path)
    key = (str(path), st.st_size, st.st_mtime_ns)
    hit = _READERS.get(key)
    if hit is None:
        hit = _READERS[key] = ImageReader(str(path))
    return hit


class ReusedImage(pdfdoc.PDFImageXObject):
    """ReportLab's image object; an image already made into one in this process is not
    compressed again."""

    def __init__(self, name: Any, source: Any = None, mask: Any = None):
        key = (id(source), repr(mask))
        hit = _OBJECTS.get(key)
        if hit is None or hit[0] is not source:
            super().__init__(name, source, mask)
            if isinstance(source, ImageReader):  # only readers that stay alive are worth keeping
                fields = {f: getattr(self, f) for f in _FIELDS if f in self.__dict__}
                smask = getattr(self, "_smask", None)  # kept as made: the canvas then registers it in its document
                _OBJECTS[key] = (source, fields, copy.copy(smask) if smask is not None else None)
            return
        self.name = name
        _, fields, smask = hit
        self.__dict__.update(fields)
        if smask is not None:
            self._smask = copy.copy(smask)  # the canvas gives each document's its own reference


_Loaded = ReusedImage.__base__  # ReportLab's own, which does the loading
patches.install("reportlab-image-xobject", ReusedImage)
