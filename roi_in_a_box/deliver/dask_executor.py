"""A batch on a Dask distributed cluster: ``--executor dask [--scheduler ADDRESS]``.

Partitions of accounts go to the cluster as tasks, at most a few per worker thread at a
time (the accounts file streams; nothing waits in the scheduler's memory); each result
comes back as soon as it is done.  Workers load the study, kit, fonts and renderers
once each, from the paths in the :class:`~.batch_worker.Setup`: on a real cluster those
paths (spec, kit, output folder) must be on storage every worker shares, mounted at
the same place.  A worker that dies mid-task loses nothing: files are written
atomically and the scheduler runs the task again on another worker, which writes the
same bytes.  Without an address a ``LocalCluster`` of worker processes is started.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import CancelledError
from typing import Any

from .batch_worker import Setup, Task, render_remote
from .execution import Done, ExecutorLost

ENV_ADDRESS = "DASK_SCHEDULER_ADDRESS"
IN_FLIGHT_PER_THREAD = 3
# Dask's own bookkeeping that grows with time: each worker's statistical profiler keeps
# up to 1,000 one-second call trees (twice: overall and per task prefix), deep renderer
# stacks included, so a worker grows for its first quarter hour; the system monitor
# keeps an hour of samples.  Set for this client's processes and the local cluster's
# workers; workers started elsewhere take the same from their environment
# (DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False).
QUIET = {"distributed.worker.profile.enabled": False, "distributed.admin.system-monitor.log-length": 240}


class DaskExecutor:
    local = False

    def __init__(self, setup: Setup, address: str | None = None, workers: int = 0) -> None:
        self.setup = setup
        self.address = address or os.environ.get(ENV_ADDRESS) or None
        self.workers = workers or os.cpu_count() or 1

    def run(self, partitions: Iterator[tuple[int, list[Task]]], done: Done) -> None:
        import dask

        with dask.config.set(QUIET):
            self._run(partitions, done)

    def _run(self, partitions: Iterator[tuple[int, list[Task]]], done: Done) -> None:
        from distributed import Client, LocalCluster, as_completed

        cluster = None
        where = self.address or "a local cluster"
        try:
            if self.address is None:
                # One thread per worker process: the renderers' caches are per process, not thread-safe.
                cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
            client = Client(self.address or cluster, timeout=30)
        except (OSError, TimeoutError) as exc:
            raise ExecutorLost(f"cannot reach the Dask scheduler at {where}: {exc}") from None
        run_id = uuid.uuid4().hex[:12]
        index: dict[Any, int] = {}
        # A lost scheduler is reported once, as ExecutorLost; the client's own log of its
        # reconnection attempts (tracebacks) would bury that message.
        client_log = logging.getLogger("distributed.client")
        level = client_log.level
        client_log.setLevel(logging.CRITICAL)
        try:
            threads = max(1, sum(client.nthreads().values()))
            window = as_completed()

            def submit() -> bool:
                item = next(partitions, None)
                if item is None:
                    return False
                i, chunk = item
                fut = client.submit(render_remote, self.setup, chunk, key=f"roi-batch-{run_id}-{i}", pure=False)
                index[fut.key] = i
                window.add(fut)
                return True

            for _ in range(threads * IN_FLIGHT_PER_THREAD):
                if not submit():
                    break
            for fut in window:
                try:
                    results: Any = fut.result()
                except CancelledError:
                    raise ExecutorLost(f"lost the Dask scheduler at {where} (task {fut.key} was cancelled)") from None
                done(index.pop(fut.key), results)
                fut.release()
                submit()
        except (OSError, TimeoutError) as exc:
            raise ExecutorLost(f"lost the Dask scheduler at {where}: {type(exc).__name__}: {exc}") from None
        finally:
            try:
                client.close(timeout=5)
            except Exception:  # closing a client whose scheduler is gone may fail too
                pass
            client_log.setLevel(level)
            if cluster is not None:
                cluster.close(timeout=10)
