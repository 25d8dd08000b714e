"""Image checks done before any rendering library sees a file.

ReportLab, python-docx and python-pptx embed whatever they are given (a 400-megapixel
PNG bomb included), so logos are checked here: type by magic bytes, pixel count from
the header, then a full decode.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MAX_PIXELS = 25_000_000
MAX_BYTES = 10_000_000
_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


class ImageError(ValueError):
    """A human-readable reason the image cannot be used."""


@lru_cache(maxsize=64)
def _checked(path: Path, mtime_ns: int, size: int) -> tuple[str, int, int]:
    from PIL import Image

    if size > MAX_BYTES:
        raise ImageError(f"{size:,} bytes; at most {MAX_BYTES:,} allowed")
    with path.open("rb") as fh:
        head = fh.read(8)
    kind = next((k for magic, k in _MAGIC.items() if head.startswith(magic)), None)
    if kind is None:
        raise ImageError("not a PNG or JPEG file (SVG, GIF and others are not accepted)")
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
    return kind, w, h


def check_image(path: Path) -> tuple[str, int, int]:
    """Return (kind, width, height) of a safe PNG/JPEG, or raise ``ImageError``."""
    st = path.stat()
    return _checked(path, st.st_mtime_ns, st.st_size)


def safe_path(root: Path, relative: str) -> Path:
    """Resolve ``relative`` inside ``root``; reject absolute paths, '..' and links out."""
    if not relative or relative.startswith(("/", "\\")) or ":" in relative.split("/")[0]:
        raise ImageError("must be a relative path inside the folder")
    parts = Path(relative).parts
    if ".." in parts:
        raise ImageError("must not contain '..'")
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ImageError("resolves outside the folder (symbolic link?)")
    if not target.is_file():
        raise ImageError("file not found")
    return target
