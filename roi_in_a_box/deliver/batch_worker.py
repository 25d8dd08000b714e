"""The worker side of a batch: study-level state loaded once per process, then accounts.

Whatever runs the accounts (this process, forked pool workers, Dask workers) calls
:func:`render_partition`.  Forked workers inherit the parent's state warm
(:func:`install`); a Dask worker loads it from the paths in a :class:`Setup` on its
first task and keeps it for every later one (:func:`state_for`), after checking it
sees the very inputs the client saw.
"""

from __future__ import annotations

import gc
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import caches
from ..brand.model import Brand
from ..model.account import Account
from ..model.study import Analysis
from ..spec.errors import InputError
from .accounts import Row
from .pipeline import Job, plan, render_one, vendor_logo
from .publish import Publisher

FULL_GC_EVERY = 64

Task = tuple[Row, Account, str]  # the row, its account, its ledger key


@dataclass(frozen=True)
class Setup:
    """What a remote worker needs to load the study-level state itself (absolute paths
    on storage the workers share) and the digests it must find there."""

    spec: str
    kit: str
    out: str
    stage: str
    formats: tuple[str, ...] | None
    inputs: tuple[str, str, str]  # spec, kit and engine digests
    publish: str | None = None  # the study's folder at an fsspec URL, if the packets go there


@dataclass
class State:
    analysis: Analysis
    brand: Brand
    jobs: list[Job]
    base: Path
    logo: Path | None
    publisher: Publisher | None = None
    since_full: int = 0


_STATE: dict[str, State] = {}


def digests(analysis: Analysis, brand: Brand) -> tuple[str, str, str]:
    from .fingerprint import engine_hash

    return analysis.loaded.located.digest, brand.digest, engine_hash()


def install(analysis: Analysis, brand: Brand, jobs: list[Job], base: Path,
            publisher: Publisher | None = None) -> State:
    """Make this process's state (before forking workers, or for an in-process run)."""
    state = State(analysis, brand, jobs, base, vendor_logo(analysis), publisher)
    _STATE["current"] = state
    return state


def state_for(setup: Setup) -> State:
    """This worker's state for ``setup``: loaded and warmed on first use, then reused."""
    key = repr(setup)
    if key in _STATE:
        return _STATE[key]
    from ..brand.kit import load_kit
    from ..model.study import load_study

    analysis = load_study(Path(setup.spec))
    brand = load_kit(Path(setup.kit))
    if digests(analysis, brand) != setup.inputs:
        raise RuntimeError(f"worker sees different inputs than the client ({setup.spec}, {setup.kit}, engine code): "
                           "workers must share the client's files and installed version")
    out = Path(setup.out)
    jobs = plan(analysis.spec.study.id, out, (setup.stage,), setup.formats, None)
    state = State(analysis, brand, jobs, out / analysis.spec.study.id, vendor_logo(analysis),
                  Publisher(setup.publish) if setup.publish else None)
    warm(state)
    caches.seal_all()  # the study's entries stay; each account's own come and go (see caches)
    gc.collect()
    gc.freeze()  # the warm, shared objects stay out of every per-account collection
    _STATE.clear()  # one batch's state at a time
    _STATE[key] = state
    return state


def warm(state: State) -> None:
    """Load layouts, fonts and renderers before the first account (before forking, or
    on a remote worker's first task)."""
    from ..layout.engine import build_document
    from ..render.registry import format_info, renderer_for

    for job in state.jobs:
        doc, _ = build_document(state.analysis, job.layout, state.brand, stage=job.stage)
        renderer = renderer_for(job.fmt)
        if format_info(job.fmt).paged:
            renderer.count_pages(doc, state.brand)


def _account_jobs(base_jobs: list[Job], base: Path, account_id: str) -> list[Job]:
    return [Job(j.stage, j.layout, j.fmt, base / j.stage / "accounts" / account_id / j.path.name) for j in base_jobs]


def render_partition(chunk: list[Task], state: State | None = None) -> list[dict[str, Any]]:
    """Render a partition of accounts; never raises for one bad account."""
    st = state or _STATE["current"]
    out = []
    for row, account, key in chunk:
        try:
            records = []
            jobs = _account_jobs(st.jobs, st.base, account.id)
            for job in jobs:
                rec = render_one(st.analysis, job, st.brand, account=account, logo=st.logo)
                rec.path = job.path.relative_to(st.base).as_posix()
                records.append(asdict(rec))
            if st.publisher:  # the whole packet is built: now it goes to the URL
                st.publisher.put([(job.path, r["path"]) for job, r in zip(jobs, records)])
                for job in jobs:
                    job.path.unlink()
                with suppress(OSError):  # the account's local folder, unless something else is in it
                    jobs[0].path.parent.rmdir()
            out.append({"account": account.id, "name": account.name, "row": row.number, "key": key,
                        "outputs": records})
        except InputError as exc:
            out.append({"account": account.id, "row": row.number, "line": row.line,
                        "error": "; ".join(p.message for p in exc.problems)})
        except Exception as exc:  # one broken account must not sink the batch
            out.append({"account": account.id, "row": row.number, "line": row.line,
                        "error": f"{type(exc).__name__}: {exc}"})
        _collect(st)
    return out


def render_remote(setup: Setup, chunk: list[Task]) -> list[dict[str, Any]]:
    """The task a Dask worker runs: its cached state, then the partition."""
    return render_partition(chunk, state_for(setup))


def _collect(state: State) -> None:
    """Free the account's python-docx/python-pptx reference cycles.  A young-generation
    pass per account catches them while they are young and costs little; a full pass
    every ``FULL_GC_EVERY`` accounts catches the rest.  (A full pass per account walks
    every cached paragraph and glyph run and made each account slower than the last.)"""
    state.since_full += 1
    if state.since_full >= FULL_GC_EVERY:
        state.since_full = 0
        gc.collect()
    else:
        gc.collect(1)
