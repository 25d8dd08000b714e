"""Every long-lived, process-wide cache in one registry, each named and capped.

Batches and watch mode reuse one process for many documents, so fonts, shaped text and
template parts are memoised across documents.  A cache that is not listed here is a leak
nobody can see: :func:`sizes` shows what each holds, :func:`clear_all` empties them (the
next document is slower, never different), :func:`set_cap` resizes one.  A full cache is
emptied rather than trimmed: the hot entries come back with the next document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class NamedCache(dict[K, V], Generic[K, V]):
    """A dict that holds at most ``cap`` entries, registered under ``name``."""

    def __init__(self, name: str, cap: int):
        super().__init__()
        self.name, self.cap = name, cap
        if name in _REGISTRY:
            raise ValueError(f"cache {name!r} is registered twice")
        _REGISTRY[name] = self

    def __setitem__(self, key: K, value: V) -> None:
        if key not in self and len(self) >= self.cap:
            self.clear()
        super().__setitem__(key, value)

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
