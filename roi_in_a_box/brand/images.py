"""Image checks and re-encoding done before any rendering library sees a file.

ReportLab, python-docx and python-pptx embed whatever they are given (a 400-megapixel
PNG bomb included, and any bytes appended after the image's end), so logos are checked
here: type by magic bytes, pixel count from the header, then a full decode.  Then
:func:`clean_image` writes a fresh PNG or JPEG from the decoded pixels alone: no
trailing payload, metadata or colour profile travels on, CMYK becomes sRGB (python-docx
cannot read CMYK JPEGs), and every renderer gets the same readable file.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import disk_cache

MAX_PIXELS = 25_000_000
MAX_BYTES = 10_000_000
_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


class ImageError(ValueError):
    """A human-readable reason the image cannot be used."""


@lru_cache(maxsize=64)
def _checked(path: Path, mtime_ns: int, size: int) -> tuple[str, int, int]:
    if size > MAX_BYTES:
        raise ImageError(f"{size:,} bytes; at most {MAX_BYTES:,} allowed")
    with path.open("rb") as fh:
        head = fh.read(8)
    kind = next((k for magic, k in _MAGIC.items() if head.startswith(magic)), None)
    if kind is None:
        raise ImageError("not a PNG or JPEG file (SVG, GIF and others are not accepted)")
    name = _image_key(path, "checked")
    kept = disk_cache.load("image-checks", name)
    if isinstance(kept, list) and len(kept) == 3 and kept[0] == kind and all(isinstance(n, int) for n in kept[1:]):
        return kind, kept[1], kept[2]  # these very bytes passed the full decode below before
    w, h = _decoded_size(path, kind)
    disk_cache.store("image-checks", name, [kind, w, h])
    return kind, w, h


def _image_key(path: Path, what: str) -> str:
    """A verdict on, or a re-encoding of, an image depends on its bytes, Pillow and this code."""
    return disk_cache.key(what, disk_cache.file_hash(path), disk_cache.version("pillow"),
                          disk_cache.source_hash(__file__))


def _decoded_size(path: Path, kind: str) -> tuple[int, int]:
    """Width and height after a full decode that checks the pixel count and the format."""
    from PIL import Image

    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as im:
            w, h = im.size
            if w * h > MAX_PIXELS:
                raise ImageError(f"{w}×{h} = {w * h:,} pixels; at most {MAX_PIXELS:,} allowed")
            if im.format != kind:
                raise ImageError(f"content is {im.format}, name suggests {kind}")
            im.load()  # full decode: truncated or corrupt data fails here, not in a renderer
    except ImageError:
        raise
    except Exception as exc:  # PIL raises many types for corrupt data
        raise ImageError(f"cannot be decoded: {exc}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    return w, h


def check_image(path: Path) -> tuple[str, int, int]:
    """Return (kind, width, height) of a safe PNG/JPEG, or raise ``ImageError``."""
    st = path.stat()
    return _checked(path, st.st_mtime_ns, st.st_size)


_CLEAN_DIR: list[Path] = []


def _clean_dir() -> Path:
    """A private folder for re-encoded images, removed when the process exits."""
    if not _CLEAN_DIR:
        path = Path(tempfile.mkdtemp(prefix="roi-in-a-box-images-"))
        atexit.register(shutil.rmtree, path, True)
        _CLEAN_DIR.append(path)
    return _CLEAN_DIR[0]


@lru_cache(maxsize=64)
def _cleaned(path: Path, mtime_ns: int, size: int) -> Path:
    raw = path.read_bytes()
    kind, _, _ = _checked(path, mtime_ns, size)
    suffix = ".png" if kind == "PNG" else ".jpg"
    out = _clean_dir() / f"{hashlib.sha256(raw).hexdigest()}{suffix}"
    if out.exists():
        return out
    name = _image_key(path, "cleaned")
    kept = disk_cache.load_bytes("image-cleaned", name, suffix)
    if kept is not None and kept.startswith(next(m for m, k in _MAGIC.items() if k == kind)):
        tmp = out.with_suffix(".part")
        tmp.write_bytes(kept)
        tmp.replace(out)
        return out
    _encode(path, kind, out)
    disk_cache.store_bytes("image-cleaned", name, out.read_bytes(), suffix)
    return out


def _encode(path: Path, kind: str, out: Path) -> None:
    """Write ``out`` from the decoded pixels of ``path`` alone (Pillow, deterministic settings)."""
    from PIL import Image, ImageCms, ImageOps

    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as opened:
            opened.load()
            im: Image.Image = opened
            if kind == "JPEG":
                im = ImageOps.exif_transpose(im)
                if im.mode == "CMYK":
                    im = _cmyk_to_srgb(im, ImageCms)
                elif im.mode not in ("RGB", "L"):
                    im = im.convert("RGB")
                tmp = out.with_suffix(".part")
                im.save(tmp, "JPEG", quality=95, optimize=False, progressive=False, subsampling=0)
            else:
                if im.mode not in ("RGB", "RGBA", "L", "LA"):
                    im = im.convert("RGBA" if "transparency" in im.info or im.mode in ("P", "PA", "I;16") else "RGB")
                tmp = out.with_suffix(".part")
                im.save(tmp, "PNG", optimize=False, compress_level=9)
    except Exception as exc:  # PIL raises many types for data it decoded once but cannot convert
        raise ImageError(f"cannot be re-encoded: {exc}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    tmp.replace(out)


def _cmyk_to_srgb(im: Any, cms: Any) -> Any:
    """Convert with the image's own ICC profile when it has one, else PIL's plain formula."""
    icc = im.info.get("icc_profile")
    if icc:
        import io

        try:
            src = cms.ImageCmsProfile(io.BytesIO(icc))
            return cms.profileToProfile(im, src, cms.createProfile("sRGB"), outputMode="RGB")
        except (cms.PyCMSError, OSError, ValueError):
            pass
    return im.convert("RGB")


def clean_image(path: Path) -> Path:
    """A freshly encoded copy of the checked PNG/JPEG ``path`` (same content, same file name each run)."""
    st = path.stat()
    return _cleaned(path, st.st_mtime_ns, st.st_size)
