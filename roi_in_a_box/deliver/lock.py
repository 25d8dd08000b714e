"""One build at a time per study folder in ``--out``.

Two builds writing the same study's files (say with different kits) would interleave
their documents and leave a manifest that matches neither.  Each build and batch holds
an exclusive ``flock`` on the study folder ``<out>/<study-id>`` itself while it writes; a
second one waits, saying so, and then works on the first one's finished result.  The
lock is released by the kernel when its holder ends, however it ends (no stale locks
after a kill), and it needs no lock file: the deliverable folder holds only deliverables.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

@contextmanager
def study_lock(base: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the study folder ``base`` exclusively; call ``on_wait`` once if another process has it."""
    base.mkdir(parents=True, exist_ok=True)
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait(f"{base}: waiting for another build writing there to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
