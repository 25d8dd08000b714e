"""Resident memory of a process and everything it started, sampled from /proc while it runs.

``ru_maxrss`` sees only processes that were waited for and gives no curve; a batch's
memory is the client plus its workers (forked pool processes, or Dask's nanny and worker
processes), so the tree is walked on every sample.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def tree_rss(root: int) -> dict[int, int]:
    """RSS in bytes of ``root`` and its descendants, by pid."""
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            found[pid] = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        todo += _children(pid)
    return found


@dataclass
class Samples:
    """(seconds since start, total RSS, largest single process RSS) per sample."""

    points: list[tuple[float, int, int]] = field(default_factory=list)

    @property
    def peak_total(self) -> int:
        return max((t for _, t, _ in self.points), default=0)

    @property
    def peak_process(self) -> int:
        return max((p for _, _, p in self.points), default=0)


def run_sampled(cmd: list[str], every: float = 0.5, **kwargs: object) -> tuple[float, Samples]:
    """Run ``cmd`` to the end, sampling its process tree's RSS; (elapsed seconds, samples)."""
    samples = Samples()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, **kwargs)  # type: ignore[call-overload]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            rss = tree_rss(proc.pid)
            if rss:
                samples.points.append((time.perf_counter() - t0, sum(rss.values()), max(rss.values())))
            stop.wait(every)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    code = proc.wait()
    elapsed = time.perf_counter() - t0
    stop.set()
    thread.join()
    if code:
        raise subprocess.CalledProcessError(code, cmd)
    return elapsed, samples
