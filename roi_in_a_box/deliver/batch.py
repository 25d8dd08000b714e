"""Batch builds: one personalised packet per account, on all cores or a cluster, resumable.

The accounts file streams in partitions (:mod:`.account_stream`); an executor
(:mod:`.executors`: this process, forked workers, or Dask) renders them; results come
back as they finish and are put back in file order, and this process alone appends each
finished account to ``batch.jsonl`` (flushed per partition).  So the ledger is the same
bytes whichever executor ran, an interrupted batch resumes where it stopped, and a
finished account is never rebuilt unless its inputs change.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from .. import caches
from ..brand.model import Brand
from ..model.study import Analysis
from . import fingerprint
from .account_stream import count_rows, stream_accounts
from .accounts import RowError
from .atomic import atomic_write_bytes, stale_temporaries
from .batch_worker import Setup, Task, digests, install, warm
from .executors import Executor, InlineExecutor, make_executor
from .lock import study_lock
from .pipeline import input_fingerprint, plan
from .progress import Progress
from .publish import Publisher

CHUNK = 8  # accounts per task
READ_ROWS = 1024  # rows read from the accounts file at a time


@dataclass
class BatchReport:
    out_dir: Path
    built: int = 0
    reused: int = 0
    failed: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def _done(state_path: Path, base: Path, published: dict[str, int] | None = None) -> dict[str, str]:
    """Accounts finished by an earlier run whose files are all still there (in ``base``, or
    at the URL whose listing is ``published``): id → key."""
    done: dict[str, str] = {}

    def there(o: dict[str, Any]) -> bool:
        if published is not None:
            return published.get(o["path"]) == o["size"]
        return (base / o["path"]).is_file() and (base / o["path"]).stat().st_size == o["size"]

    if not state_path.is_file():
        return done
    with state_path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except ValueError:
                continue  # a line cut by a kill: that account is simply rebuilt
            if "outputs" in rec and all(there(o) for o in rec["outputs"]):
                done[rec["account"]] = rec["key"]
    return done


def run_batch(analysis: Analysis, brand: Brand, accounts_path: Path, out: Path, *, stage: str = "renewal",
              formats: tuple[str, ...] | None = None, jobs: int = 0, force: bool = False,
              executor: str = "process", scheduler: str | None = None, publish: str | None = None,
              on_progress: Callable[[Progress], None] | None = None,
              on_wait: Callable[[str], None] | None = None) -> BatchReport:
    """Build ``stage`` for every valid account; report bad rows; resume earlier runs.

    With ``publish`` (an fsspec URL) the packets end up there, the ledger in ``out`` (see
    :mod:`.publish`).  Holds the study folder's lock (see :mod:`.lock`) while it writes."""
    with study_lock(out / analysis.spec.study.id, on_wait):
        return _run(analysis, brand, accounts_path, out, stage, formats, jobs, force, executor, scheduler, publish,
                    on_progress)


def _run(analysis: Analysis, brand: Brand, accounts_path: Path, out: Path, stage: str, formats: tuple[str, ...] | None,
         jobs: int, force: bool, executor: str, scheduler: str | None, publish: str | None,
         on_progress: Callable[[Progress], None] | None) -> BatchReport:
    base = out / analysis.spec.study.id
    stage_dir = base / stage
    for tmp in stale_temporaries(stage_dir):
        tmp.unlink(missing_ok=True)
    url = f"{publish.rstrip('/')}/{analysis.spec.study.id}" if publish else None
    publisher = Publisher(url) if url else None
    if publisher and publisher.renames:
        publisher.remove_temporaries(stage)
    base_jobs = plan(analysis.spec.study.id, out, (stage,), formats, None)
    study_key = fingerprint.combined(input_fingerprint(analysis, brand, base_jobs))
    state_path = stage_dir / "batch.jsonl"
    done = {} if force else _done(state_path, base, publisher.sizes(stage) if publisher else None)
    report = BatchReport(stage_dir)
    expected = count_rows(accounts_path)
    started = time.monotonic()

    def progress() -> None:
        if on_progress:
            on_progress(Progress(report.reused + report.built + len(report.failed), expected, len(report.failed),
                                 time.monotonic() - started))

    def tasks() -> Iterator[tuple[int, list[Task]]]:
        """Accounts still to build, in numbered chunks; rows fail and accounts are reused as they stream by."""
        chunk: list[Task] = []
        number = 0
        for part in stream_accounts(accounts_path, analysis.spec, READ_ROWS):
            report.total += len(part.good) + len(part.bad)
            report.failed += part.bad
            for row, acc in part.good:
                key = hashlib.sha256((study_key + json.dumps(row.data, sort_keys=True, default=str)).encode()
                                     ).hexdigest()
                if done.get(acc.id) == key:
                    report.reused += 1
                    continue
                chunk.append((row, acc, key))
                if len(chunk) == CHUNK:
                    yield number, chunk
                    number, chunk = number + 1, []
            progress()
        if chunk:
            yield number, chunk

    stage_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, jobs or os.cpu_count() or 1)
    setup = Setup(str(analysis.loaded.path.resolve()), str(brand.root.resolve()), str(out.resolve()), stage, formats,
                  digests(analysis, brand), url)
    with state_path.open("a" if not force else "w", encoding="utf-8") as state:
        waiting: dict[int, list[dict[str, Any]]] = {}
        next_index = 0

        def record(results: list[dict[str, Any]]) -> None:
            for res in results:
                if "error" in res:
                    report.failed.append(RowError(res["row"], res["line"], res["account"], res["error"]))
                else:
                    state.write(json.dumps(res, ensure_ascii=False) + "\n")
                    report.built += 1
            state.flush()
            progress()

        def finished(index: int, results: list[dict[str, Any]]) -> None:
            """Results arrive in any order; the ledger takes them in file order."""
            nonlocal next_index
            waiting[index] = results
            while next_index in waiting:
                record(waiting.pop(next_index))
                next_index += 1

        stream = tasks()
        head = [t for t in (next(stream, None), next(stream, None)) if t is not None]
        alone = executor == "process" and (len(head) < 2 or (publisher is not None and publisher.in_process))
        runner: Executor = InlineExecutor() if alone else make_executor(executor, workers, setup, scheduler)
        if runner.local and head:
            warm(install(analysis, brand, base_jobs, base, publisher))
        gc.collect()
        gc.freeze()  # the warm, shared objects stay out of every per-account collection
        try:
            with caches.sealed():  # forked workers inherit the seal: accounts only get the young allowance
                runner.run(chain(head, stream), finished)
        finally:
            gc.unfreeze()
            for index in sorted(waiting):  # an interrupted run keeps what did finish
                record(waiting.pop(index))
            for tmp in stale_temporaries(stage_dir):  # left by a worker killed mid-write
                tmp.unlink(missing_ok=True)
            if publisher and publisher.renames:
                publisher.remove_temporaries(stage)

    summary = {"stage": stage, "accounts": report.total, "built": report.built, "reused": report.reused,
               "failed": [asdict(f) for f in sorted(report.failed, key=lambda f: f.number)]}
    atomic_write_bytes(stage_dir / "batch-summary.json", json.dumps(summary, ensure_ascii=False, indent=2).encode())
    if publisher:  # the URL holds the record too; the local ledger is the one a resume appends to
        publisher.put([(state_path, f"{stage}/batch.jsonl"), (stage_dir / "batch-summary.json",
                                                                f"{stage}/batch-summary.json")])
    return report
