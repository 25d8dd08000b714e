"""Content hashes that decide whether a build's inputs changed.

A rebuild is skipped only when the spec, the layouts, the brand kit, the fonts and
the engine itself (its version and source) are byte-for-byte what produced the
outputs on disk.
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path

from .. import __version__
from ..brand.model import Brand

PACKAGE_DIR = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=256)
def _file_hash(path: Path, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_hash(path: Path) -> str:
    st = path.stat()
    return _file_hash(path.resolve(), st.st_mtime_ns, st.st_size)


@cache
def engine_hash() -> str:
    """Version plus every source file of the package: code changes invalidate outputs."""
    h = hashlib.sha256(__version__.encode())
    for f in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(f.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def font_hashes(brand: Brand) -> dict[str, str]:
    out = {}
    for role in (brand.heading, brand.body):
        for fam in role.families():
            for p in (fam.regular, fam.bold, fam.italic, fam.bold_italic):
                if p is not None:
                    out[p.name] = file_hash(p)
    return dict(sorted(out.items()))


def combined(parts: dict[str, object]) -> str:
    h = hashlib.sha256()
    for key in sorted(parts):
        h.update(key.encode())
        h.update(repr(parts[key]).encode())
    return h.hexdigest()
