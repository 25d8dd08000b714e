"""Every long-lived, process-wide cache in one registry, each named and capped.

Batches and watch mode reuse one process for many documents, so fonts, shaped text and
template parts are memoised across documents.  A cache that is not listed here is a leak
nobody can see: :func:`sizes` shows what each holds, :func:`clear_all` empties them (the
next document is slower, never different), :func:`set_cap` resizes one.  A full cache is
emptied rather than trimmed: the hot entries come back with the next document.

A batch makes every document from the same study, then adds each account's own words,
names and figures.  Left alone, those per-account entries fill each cache toward its cap
over tens of thousands of accounts, so memory creeps up all run.  :func:`sealed` keeps
what the study-level warm-up put in each dict cache for good and gives later entries a
small young allowance (``young``) that is emptied on its own when full: memory is bounded
by the study's content, not by the number of accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, Generic, TypeVar

#: new entries a sealed cache takes before it drops them all: a few accounts' own texts,
#: so per-account entries never add up, and study texts the warm-up missed come back soon
YOUNG = 256

K = TypeVar("K")
V = TypeVar("V")


class NamedCache(dict[K, V], Generic[K, V]):
    """A dict that holds at most ``cap`` entries, registered under ``name``; once sealed,
    its sealed entries plus at most ``young`` later ones (default: :data:`YOUNG`,
    at most the cap)."""

    def __init__(self, name: str, cap: int, young: int | None = None):
        super().__init__()
        self.name, self.cap = name, cap
        self.young = min(cap, YOUNG) if young is None else young
        self._sealed: int | None = None  # entries kept for good, the oldest in insertion order
        if name in _REGISTRY:
            raise ValueError(f"cache {name!r} is registered twice")
        _REGISTRY[name] = self

    def __setitem__(self, key: K, value: V) -> None:
        if key not in self:
            if self._sealed is None:
                if len(self) >= self.cap:
                    self.clear()
            elif len(self) - self._sealed >= self.young:
                # entries keep insertion order, so the young ones are the newest
                for old in list(islice(reversed(self.keys()), len(self) - self._sealed)):
                    del self[old]
        super().__setitem__(key, value)

    def seal(self) -> None:
        """Keep the entries held now for good; later ones are young and come and go."""
        self._sealed = len(self)

    def unseal(self) -> None:
        self._sealed = None

    def clear(self) -> None:
        super().clear()
        if self._sealed is not None:
            self._sealed = 0

    def __repr__(self) -> str:
        return f"NamedCache({self.name!r}, {len(self)}/{self.cap})"


class _Lru:
    """A ``functools.lru_cache``-wrapped function seen through the registry."""

    def __init__(self, name: str, fn: Any):
        self.name, self.fn = name, fn

    @property
    def cap(self) -> int | None:
        return self.fn.cache_parameters()["maxsize"]

    def __len__(self) -> int:
        return int(self.fn.cache_info().currsize)

    def clear(self) -> None:
        self.fn.cache_clear()


_REGISTRY: dict[str, NamedCache[Any, Any] | _Lru] = {}
F = TypeVar("F", bound=Callable[..., Any])


def lru(name: str) -> Callable[[F], F]:
    """Register an ``lru_cache``-wrapped function (apply above ``@lru_cache``)."""
    def register(fn: F) -> F:
        if name in _REGISTRY:
            raise ValueError(f"cache {name!r} is registered twice")
        _REGISTRY[name] = _Lru(name, fn)
        return fn
    return register


def sizes() -> dict[str, tuple[int, int | None]]:
    """Name → (entries now, cap) of every registered cache (of the modules imported so far)."""
    return {name: (len(c), c.cap) for name, c in sorted(_REGISTRY.items())}


def seal_all() -> None:
    """Seal every dict cache (see :meth:`NamedCache.seal`).  ``lru_cache`` functions need no
    seal: least-recently-used eviction keeps the study's entries, the cap bounds the rest."""
    for c in _REGISTRY.values():
        if isinstance(c, NamedCache):
            c.seal()


def unseal_all() -> None:
    for c in _REGISTRY.values():
        if isinstance(c, NamedCache):
            c.unseal()


@contextmanager
def sealed() -> Iterator[None]:
    """Seal every dict cache for the duration (a batch, after its study-level warm-up)."""
    seal_all()
    try:
        yield
    finally:
        unseal_all()


def clear_all() -> None:
    for c in _REGISTRY.values():
        c.clear()


def set_cap(name: str, cap: int) -> None:
    """Resize a dict cache (``lru_cache`` sizes are fixed when the function is defined)."""
    c = _REGISTRY[name]
    if not isinstance(c, NamedCache):
        raise TypeError(f"cache {name!r} is an lru_cache; its size is fixed")
    c.cap = cap
    if len(c) > cap:
        c.clear()
