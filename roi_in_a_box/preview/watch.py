"""Watch mode: rebuild when the spec, a layout or the brand kit changes, then rewrite the gallery.

Each cycle reloads the spec and the kit and calls :func:`roi_in_a_box.deliver.pipeline.build`,
which compares the inputs' fingerprint with the manifest and rebuilds nothing when nothing
that matters changed; previews are cached by file hash, so only changed documents are
re-rendered.  A spec error is printed (every located problem) and shown as a banner in the
gallery; no file is written by a failed load, so the last good outputs stay in place.

:class:`Watcher` is testable without a terminal: :meth:`Watcher.cycle` runs one
rebuild, :meth:`Watcher.run` loops until ``stop_event`` is set or ``max_cycles`` rebuilds.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..render.registry import unit_of
from .gallery import ErrorBanner, write_gallery

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
TEMP_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


@dataclass
class CycleResult:
    """What one rebuild did."""

    ok: bool
    study_id: str | None = None
    rebuilt: int = 0                      # files written (0: everything was up to date)
    skipped: bool = False
    problems: list[str] = field(default_factory=list)
    index: Path | None = None
    changes: list[str] = field(default_factory=list)
    report: Any = None


def _echo(msg: str, err: bool = False) -> None:
    print(msg, file=sys.stderr if err else sys.stdout, flush=True)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


class Watcher:
    """Rebuild one study on changes to its spec, the layouts folder or the brand kit."""

    def __init__(self, spec: Path, brand: str | None = None, out: Path = Path("output"), *,
                 stages: tuple[str, ...] | None = None, formats: tuple[str, ...] | None = None,
                 layout: str | None = None, previews: bool = True, office: bool = True,
                 echo: Callable[..., None] = _echo):
        from ..brand.kit import resolve_kit
        from ..deliver.recipes import STAGES
        from ..bundled import LAYOUTS_DIR

        self.spec = spec.resolve()
        self.kit_root = resolve_kit(brand, self.spec.parent).resolve()   # an unknown kit name is a usage error, raised now
        self.out = out.resolve()
        self.layouts_dir = LAYOUTS_DIR.resolve()
        self.stages = stages or STAGES
        self.formats, self.layout = formats, layout
        self.previews, self.office = previews, office
        self.echo = echo
        self.study_id: str | None = None
        self.logo: Path | None = None
        self.last: CycleResult | None = None

    # -- what to watch

    def watch_dirs(self) -> list[Path]:
        """Folders to watch (non-recursively): the spec's, its logo's, the layouts and the kit's."""
        dirs = {self.spec.parent, self.layouts_dir, self.kit_root}
        if self.logo is not None:
            dirs.add(self.logo.parent)
        if self.kit_root.is_dir():
            dirs |= {p for p in self.kit_root.rglob("*") if p.is_dir() and not any(
                part.startswith(".") for part in p.relative_to(self.kit_root).parts)}
        return sorted(d for d in dirs if d.is_dir() and not _inside(d, self.out))

    def relevant(self, path: str | Path) -> bool:
        """Does a change to ``path`` matter for this study's build?"""
        p = Path(path)
        try:
            p = p.parent.resolve() / p.name
        except OSError:
            pass
        name = p.name
        if name.startswith((".", "#")) or name.endswith(TEMP_SUFFIXES):
            return False
        if _inside(p, self.out):
            return False
        if p == self.spec or (self.logo is not None and p == self.logo):
            return True
        if _inside(p, self.kit_root):
            return True
        if p.parent == self.layouts_dir:
            return p.suffix.lower() in (".yaml", ".yml")
        # Next to the spec: a logo we do not know yet (the spec has not loaded), never other specs.
        return p.parent == self.spec.parent and p.suffix.lower() in IMAGE_SUFFIXES and self.logo is None

    # -- one rebuild

    def cycle(self, changes: Iterable[str] = ()) -> CycleResult:
        """Reload the inputs, build what changed, rewrite the gallery; never raises for bad input."""
        from ..brand import kit as kitmod
        from ..deliver.pipeline import build
        from ..model.study import load_study
        from ..spec.errors import InputError

        changes = sorted(set(changes))
        stamp = datetime.now().strftime("%H:%M:%S")
        if changes:
            self.echo(f"[{stamp}] changed: " + ", ".join(self._short(c) for c in changes))
        kitmod.forget_kits()  # the kit is cached per folder; its files may have changed
        banner: ErrorBanner | None = None
        try:
            analysis = load_study(self.spec)
            self.study_id = analysis.spec.study.id
            self.logo = self._logo(analysis)
            brand = kitmod.load_kit(self.kit_root)
            report = build(analysis, brand, self.out, stages=self.stages, formats=self.formats, layout=self.layout)
        except InputError as exc:
            problems = [str(p) for p in exc.problems]
            for p in problems:
                self.echo(p, err=True)
            self.echo(f"[{stamp}] {len(problems)} error(s): nothing rebuilt; the last good outputs stay in place",
                      err=True)
            banner = ErrorBanner(f"Cannot build: {len(problems)} error(s) in the inputs; nothing was rebuilt",
                                 problems, spec=str(self.spec), study_id=self.study_id or "", when=stamp)
            result = CycleResult(False, self.study_id, problems=problems, changes=changes)
        except Exception as exc:  # a renderer bug must not end the session
            tb = traceback.format_exc(limit=6).splitlines()
            problems = [f"{type(exc).__name__}: {exc}"] + tb[-6:]
            self.echo(f"[{stamp}] build failed: {type(exc).__name__}: {exc}", err=True)
            banner = ErrorBanner("Build failed (internal error); earlier outputs are kept", problems,
                                 spec=str(self.spec), study_id=self.study_id or "", when=stamp)
            result = CycleResult(False, self.study_id, problems=problems, changes=changes)
        else:
            for w in analysis.warnings:
                self.echo(str(w), err=True)
            if report.skipped:
                self.echo(f"[{stamp}] {report.study_id}: up to date ({len(report.outputs)} files)")
            else:
                self.echo(f"[{stamp}] {report.study_id}: rebuilt {len(report.outputs)} file(s)")
                for rec in report.outputs:
                    notes = len(rec.warnings) + len(rec.fitting)
                    self.echo(f"    {rec.path}  ({rec.pages} {unit_of(rec.format)}s"
                              + (f", {notes} warning/fitting note(s)" if notes else "") + ")")
            result = CycleResult(True, report.study_id, rebuilt=0 if report.skipped else len(report.outputs),
                                 skipped=report.skipped, changes=changes, report=report)
        try:
            result.index = write_gallery(self.out, previews=self.previews, office=self.office,
                                         errors=[banner] if banner else [])
            self.echo(f"[{datetime.now():%H:%M:%S}] gallery: {result.index}")
        except Exception as exc:
            self.echo(f"[{stamp}] gallery could not be written: {type(exc).__name__}: {exc}", err=True)
        self.last = result
        return result

    def _logo(self, analysis: Any) -> Path | None:
        name = analysis.spec.vendor.logo
        return (self.spec.parent / name).resolve() if name else None

    def _short(self, path: str) -> str:
        p = Path(path)
        for base in (self.spec.parent, self.layouts_dir, self.kit_root):
            if _inside(p, base):
                return p.relative_to(base).as_posix()
        return str(p)

    # -- the loop

    def run(self, *, stop_event: threading.Event | None = None, max_cycles: int | None = None,
            on_cycle: Callable[[CycleResult], None] | None = None, debounce_ms: int = 300,
            force_polling: bool | None = None, initial: bool = True) -> int:
        """Build once, then rebuild on every relevant change; returns the number of rebuilds after the first.

        Stops when ``stop_event`` is set, after ``max_cycles`` rebuilds, or on Ctrl+C.
        """
        import watchfiles

        stop_event = stop_event or threading.Event()
        if initial:
            res = self.cycle()
            if on_cycle:
                on_cycle(res)
        cycles = 0
        while not stop_event.is_set() and (max_cycles is None or cycles < max_cycles):
            dirs = self.watch_dirs()
            self.echo("watching " + ", ".join(str(d) for d in dirs) + "  (Ctrl+C stops)")
            restart = False
            for changes in watchfiles.watch(*dirs, watch_filter=lambda _c, p: self.relevant(p),
                                            debounce=debounce_ms, step=50, stop_event=stop_event,
                                            rust_timeout=1000, yield_on_timeout=False, raise_interrupt=False,
                                            force_polling=force_polling, recursive=False):
                res = self.cycle(p for _, p in changes)
                cycles += 1
                if on_cycle:
                    on_cycle(res)
                if max_cycles is not None and cycles >= max_cycles:
                    break
                if self.watch_dirs() != dirs:  # the logo moved or the kit grew a folder: watch anew
                    restart = True
                    break
            if not restart:
                break
        return cycles


def watch(spec: Path, brand: str | None = None, out: Path = Path("output"), *,
          stop_event: threading.Event | None = None, max_cycles: int | None = None,
          on_cycle: Callable[[CycleResult], None] | None = None, **options: Any) -> int:
    """Convenience wrapper: ``Watcher(spec, brand, out, **options).run(...)``."""
    run_keys = {"debounce_ms", "force_polling", "initial"}
    run_opts = {k: options.pop(k) for k in list(options) if k in run_keys}
    return Watcher(spec, brand, out, **options).run(stop_event=stop_event, max_cycles=max_cycles,
                                                   on_cycle=on_cycle, **run_opts)
