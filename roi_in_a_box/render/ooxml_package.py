"""Shared OOXML (DOCX/PPTX) packaging: reproducible zips and core properties.

python-docx and python-pptx stamp the current time into core properties and zip
entries, so two builds of the same inputs differ.  We fix both.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_CORE_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)


def set_core_properties(core: Any, *, title: str, author: str, subject: str, keywords: str,
                        language: str, when: dt.datetime | None = None) -> None:
    """Fill core properties with fixed timestamps (the study's date when given)."""
    stamp = when or FIXED_CORE_TIME
    core.title = title[:250]
    core.author = author[:250]
    core.subject = subject[:250]
    core.keywords = keywords[:250]
    core.language = language
    core.last_modified_by = author[:250]
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp
    core.revision = 1


def write_reproducible(save: Any, path: Path) -> None:
    """Call ``save(buffer)`` then rewrite the zip with fixed entry times and stable order."""
    raw = io.BytesIO()
    save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        # [Content_Types].xml first, as Office expects; the rest in the writer's order.
        names.sort(key=lambda n: n != "[Content_Types].xml")
        for name in names:
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    path.write_bytes(out.getvalue())
