"""Atomic file output: write to a temporary sibling, then rename.

A reader (or a killed build) never sees a half-written PDF: either the old file or
the complete new one is there.  Temporary files use a dot prefix and are removed on
any failure, interrupts included.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

R = TypeVar("R")
TMP_PREFIX = ".tmp-"


def atomic_write(path: Path, write: Callable[[Path], R]) -> R:
    """Call ``write(tmp_path)`` and move the result to ``path`` only if it succeeded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TMP_PREFIX + path.name + ".", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        result = write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the modes the user's umask asks for
        os.replace(tmp, path)
        return result
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


def stale_temporaries(root: Path) -> Iterator[Path]:
    """Temporaries left by a process that was killed (SIGKILL skips cleanup)."""
    if root.is_dir():
        yield from root.rglob(TMP_PREFIX + "*")
