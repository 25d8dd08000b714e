"""Batch progress for a long run: accounts done, rate, ETA and failures so far.

On a terminal a Rich line redraws in place; anywhere else (a log, CI) one plain line is
printed every ``every`` accounts and at the end, so a 100,000-account run logs a few
hundred lines, not a bar's worth of control codes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import IO, Any


@dataclass(frozen=True)
class Progress:
    """Where a batch stands: accounts done (built, reused or failed) of about ``expected``."""

    done: int
    expected: int | None
    failed: int
    elapsed: float

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        if not self.expected or self.rate <= 0:
            return None
        return max(0.0, self.expected - self.done) / self.rate


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


def describe(p: Progress) -> str:
    of = f"/{p.expected:,}" if p.expected is not None else ""
    return (f"{p.done:,}{of} accounts, {p.rate:,.1f}/s, elapsed {_clock(p.elapsed)}, ETA {_clock(p.eta)}, "
            f"{p.failed:,} failed")


class LineProgress:
    """One line per ``every`` accounts (and the last), for logs."""

    def __init__(self, every: int = 1000, stream: IO[str] | None = None) -> None:
        self.every, self.stream, self._next, self._last = max(1, every), stream or sys.stderr, 0, None
        self._last_done = -1

    def __enter__(self) -> LineProgress:
        return self

    def update(self, p: Progress) -> None:
        self._last = p  # type: ignore[assignment]
        if p.done >= self._next:
            self._print(p)
            self._next = (p.done // self.every + 1) * self.every

    def _print(self, p: Progress) -> None:
        if p.done != self._last_done:
            print(describe(p), file=self.stream, flush=True)
            self._last_done = p.done

    def __exit__(self, *exc: object) -> None:
        if self._last is not None:
            self._print(self._last)


class RichProgress:
    """A redrawing bar on a terminal."""

    def __init__(self, label: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self.bar = Bar(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[rate]}/s  ETA {task.fields[eta]}  {task.fields[failed]} failed"),
                       TimeElapsedColumn(), transient=False)
        self.task = self.bar.add_task(label, total=None, rate="0.0", eta="--:--", failed=0)

    def __enter__(self) -> RichProgress:
        self.bar.__enter__()
        return self

    def update(self, p: Progress) -> None:
        self.bar.update(self.task, completed=p.done, total=p.expected, rate=f"{p.rate:,.1f}", eta=_clock(p.eta),
                        failed=p.failed)

    def __exit__(self, *exc: Any) -> None:
        self.bar.__exit__(*exc)
