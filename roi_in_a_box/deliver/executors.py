"""Where a batch's accounts are rendered: this process, a pool of forked processes, or
a Dask cluster (:mod:`.dask_executor`).

An executor takes numbered partitions of accounts and hands back each partition's
results as it finishes, in any order; the batch puts them back in order and alone
writes the ledger, so a resumed run does not care which executor ran the earlier part.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from .batch_worker import Setup, Task, render_partition
from .execution import Done, Executor, ExecutorLost, Results

__all__ = ["EXECUTORS", "Done", "Executor", "ExecutorLost", "InlineExecutor", "ProcessExecutor", "make_executor"]

EXECUTORS = ("process", "dask")


class InlineExecutor:
    """Render in this process: one worker, or too few accounts to be worth forking."""

    local = True

    def run(self, partitions: Iterator[tuple[int, list[Task]]], done: Done) -> None:
        for i, chunk in partitions:
            done(i, render_partition(chunk))


class ProcessExecutor:
    """Forked worker processes that inherit the parent's warm state; at most three
    partitions per worker in flight, so memory does not grow with the accounts file."""

    local = True

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def run(self, partitions: Iterator[tuple[int, list[Task]]], done: Done) -> None:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx) as pool:
            pending: dict[Future[Results], int] = {}
            for i, chunk in partitions:
                pending[pool.submit(render_partition, chunk)] = i
                if len(pending) >= self.workers * 3:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        done(pending.pop(fut), fut.result())
            for fut in list(pending):
                done(pending.pop(fut), fut.result())


def make_executor(kind: str, workers: int, setup: Setup, scheduler: str | None = None) -> Executor:
    """The executor named ``kind`` (one of :data:`EXECUTORS`)."""
    if kind == "dask":
        try:
            from .dask_executor import DaskExecutor
        except ModuleNotFoundError as exc:
            raise ExecutorLost(f"--executor dask needs Dask: pip install 'roi-in-a-box[cluster]' ({exc})") from None
        return DaskExecutor(setup, scheduler, workers)
    if kind != "process":
        raise ValueError(f"unknown executor {kind!r}; valid: {', '.join(EXECUTORS)}")
    return InlineExecutor() if workers == 1 else ProcessExecutor(workers)
