"""Reading files a brand kit or spec names, through an allowlist and without leaving the folder.

Only the files ``brand.yaml`` names (plus ``brand.yaml`` itself) are ever opened.  Each
path component is checked with ``lstat`` on the way down, so neither the file nor any
folder on its way (``fonts/`` included) can be a symbolic link that leads out of the
folder; the final file must be a regular file (not a FIFO or device) under a size cap,
checked before a byte is read.  The kit's fingerprint covers exactly these files.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

MAX_FONT_BYTES = 40_000_000
MAX_TEMPLATE_BYTES = 60_000_000
MAX_YAML_BYTES = 1_000_000


class KitFileError(ValueError):
    """A human-readable reason the named file cannot be used."""


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def contained_file(root: Path, relative: str, max_bytes: int) -> Path:
    """``root/relative`` if it is a regular file of at most ``max_bytes`` reached inside ``root``.

    Absolute paths, ``..``, drive letters and any symbolic link (at any level) resolving
    outside ``root`` are refused.
    """
    root = root.resolve()
    if not relative or relative.startswith(("/", "\\")) or ":" in relative.split("/")[0] or "\\" in relative:
        raise KitFileError("must be a relative path inside the folder")
    parts = Path(relative).parts
    if ".." in parts:
        raise KitFileError("must not contain '..'")
    current = root
    for i, part in enumerate(parts):
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            raise KitFileError("file not found") from None
        except OSError as exc:
            raise KitFileError(f"cannot be read: {exc.strerror}") from None
        if stat.S_ISLNK(st.st_mode):
            target = current.resolve()
            if not _inside(target, root):
                what = "folder" if i < len(parts) - 1 else "file"
                raise KitFileError(f"the {what} '{Path(*parts[:i + 1]).as_posix()}' is a symbolic link "
                                   "that leads outside the folder")
            current = target
            st = os.stat(current)
        if i < len(parts) - 1 and not stat.S_ISDIR(st.st_mode):
            raise KitFileError("file not found")
    if not stat.S_ISREG(st.st_mode):
        raise KitFileError("is not a regular file (a folder, FIFO or device?)")
    if st.st_size > max_bytes:
        raise KitFileError(f"{st.st_size:,} bytes; at most {max_bytes:,} allowed")
    return current


def files_digest(root: Path, files: Iterable[Path]) -> str:
    """Content hash of exactly ``files`` (named relative to ``root`` where they are inside it)."""
    h = hashlib.sha256()
    for f in sorted(set(files)):
        name = f.relative_to(root).as_posix() if _inside(f, root) else f.as_posix()
        h.update(name.encode() + b"\0")
        with f.open("rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())
    return h.hexdigest()
