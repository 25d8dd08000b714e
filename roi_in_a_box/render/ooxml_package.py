"""Shared OOXML (DOCX/PPTX) packaging: reproducible zips and core properties.

python-docx and python-pptx stamp the current time into core properties and zip
entries, so two builds of the same inputs differ.  We fix both, and write each package's
zip once (pinned to python-docx 1.2.0 and python-pptx 1.0.2, whose writers we intercept).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sys
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from roi_in_a_box.caches import NamedCache

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


class _Collector:
    """Stands in for the libraries' zip writers: keeps (member name, bytes) in write order."""

    def __init__(self, *_args: Any) -> None:
        self.members: list[tuple[str, bytes]] = []
        _COLLECTED.append(self)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.members.append((pack_uri.membername, blob))

    def close(self) -> None:
        return None

    def __enter__(self) -> "_Collector":
        return self

    def __exit__(self, *_exc: Any) -> None:
        return None


_COLLECTED: list[_Collector] = []


@contextmanager
def _collecting() -> Iterator[list[_Collector]]:
    """Route python-docx/python-pptx package writing into memory instead of a zip.

    Their writers stamp the current time on every entry and deflate every part; we write
    the zip once ourselves instead of saving, unzipping and re-zipping.  Only libraries
    already imported are patched (importing python-pptx for a DOCX costs 150 ms).
    """
    pptx_mod = sys.modules.get("pptx.opc.serialized")
    docx_mod = sys.modules.get("docx.opc.pkgwriter")
    saved = (pptx_mod and pptx_mod._PhysPkgWriter.__dict__["factory"], docx_mod and getattr(docx_mod, "PhysPkgWriter"))
    if pptx_mod:
        pptx_mod._PhysPkgWriter.factory = classmethod(lambda cls, _f: _Collector())
    if docx_mod:
        setattr(docx_mod, "PhysPkgWriter", _Collector)  # (python-docx has no typed name for it)
    _COLLECTED.clear()
    try:
        yield _COLLECTED
    finally:
        if pptx_mod:
            pptx_mod._PhysPkgWriter.factory = saved[0]
        if docx_mod:
            setattr(docx_mod, "PhysPkgWriter", saved[1])


def write_reproducible(save: Any, path: Path, deflated: Mapping[str, bytes] | None = None) -> None:
    """:func:`reproducible_bytes` written to ``path``."""
    path.write_bytes(reproducible_bytes(save, deflated))


def reproducible_bytes(save: Any, deflated: Mapping[str, bytes] | None = None) -> bytes:
    """Call ``save(buffer)`` (a python-docx/python-pptx ``save``) and return the package as
    one zip with fixed entry times, ``[Content_Types].xml`` first, deflated once.

    ``deflated``: ``{member name: raw deflate stream of that member's bytes}`` computed (and
    cached) by the caller, e.g. for embedded fonts, written as they are instead of being
    compressed again."""
    with _collecting() as collected:
        save(io.BytesIO())
    if len(collected) != 1:  # pragma: no cover - a library version that writes differently
        raise RuntimeError("OOXML save did not go through the expected package writer")
    members = sorted(collected[0].members, key=lambda m: m[0] != "[Content_Types].xml")
    pre = deflated or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, blob in members:
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if name.lower().endswith(STORED):
                info.compress_type = zipfile.ZIP_STORED
                dst.writestr(info, blob)
            elif _PRECOMPRESSED_OK:
                _write_precompressed(dst, info, blob, pre.get(name) or member_stream(blob))
            else:  # pragma: no cover - a Python whose zipfile works otherwise
                dst.writestr(info, blob)
    return out.getvalue()


# Pictures already compressed: deflating them again costs time and saves nothing.
STORED = (".png", ".jpg", ".jpeg", ".gif")
# Raw deflate streams of member bytes, by the bytes' SHA-1: a batch's study-level parts
# (styles, theme, numbering, settings, pictures, header and footer) are compressed once per process.
_STREAMS: NamedCache[bytes, bytes] = NamedCache("ooxml.member_streams", 256)


def member_stream(blob: bytes) -> bytes:
    """The raw deflate stream of a zip member's bytes, cached by content: zlib at zipfile's
    level, so the bytes are the same as zipfile's own (the fallback) would be."""
    key = hashlib.sha1(blob).digest()
    stream = _STREAMS.get(key)
    if stream is None:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        stream = _STREAMS[key] = c.compress(blob) + c.flush()
    return stream


class _Precompressed:
    """Stands in for zipfile's deflate compressor: returns the caller's stream once."""

    def __init__(self, stream: bytes) -> None:
        self.stream = stream

    def compress(self, _data: bytes) -> bytes:
        stream, self.stream = self.stream, b""
        return stream

    def flush(self) -> bytes:
        return b""


def _write_precompressed(dst: zipfile.ZipFile, info: zipfile.ZipInfo, blob: bytes, stream: bytes) -> None:
    """Write ``blob`` as member ``info`` using ``stream`` (its raw deflate) as the compressed data.

    zipfile has no public way to write already-compressed data; its member writer computes
    size and CRC from the bytes given to ``write`` and compresses them through
    ``_compressor``, which is swapped for one that hands back ``stream``.  A self-check at
    import (:func:`_check_precompressed`) turns this off if a Python version works otherwise.
    """
    info.file_size = len(blob)
    with dst.open(info, "w") as w:
        w._compressor = _Precompressed(stream)  # type: ignore[attr-defined]
        w.write(blob)


def _check_precompressed() -> bool:
    import zlib

    blob = b"precompressed member check " * 40
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    stream = c.compress(blob) + c.flush()
    try:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo("a.bin", FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            _write_precompressed(z, info, blob, stream)
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
            return z.testzip() is None and z.read("a.bin") == blob and z.getinfo("a.bin").compress_size == len(stream)
    except Exception:  # noqa: BLE001 - any surprise: compress normally
        return False


_PRECOMPRESSED_OK = _check_precompressed()
