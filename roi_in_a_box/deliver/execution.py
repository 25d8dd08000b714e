"""The contract between a batch and whatever renders its accounts (:mod:`.executors`,
:mod:`.dask_executor`): numbered partitions in, each partition's results back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from .batch_worker import Task

Results = list[dict[str, Any]]
Done = Callable[[int, Results], None]


class ExecutorLost(RuntimeError):
    """The executor itself went away (a lost scheduler): the run stops, resumable."""


class Executor(Protocol):
    #: True when workers render with this process's installed state (inherited by fork).
    local: bool

    def run(self, partitions: Iterator[tuple[int, list[Task]]], done: Done) -> None: ...
