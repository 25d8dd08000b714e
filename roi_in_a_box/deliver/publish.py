"""Batch packets published to an fsspec URL: ``batch … --out s3://bucket/renewals``.

Each packet is built in the local folder first (whoever renders it: this process, a
forked worker or a Dask worker), then copied to the URL and the local copy removed, so
a cluster's workers need no shared disk, only the store.  A packet's files appear whole:
on a local path (``file://``) each is written under a temporary name beside it and
renamed; on a store without rename (``s3://``, ``gs://``, ``memory://``) each is put
straight to its final key, which only ever happens once the whole packet is built (an
object store makes an object visible only when its upload is complete).  The ledger
stays in the local folder and is copied to the URL when the run ends; resuming checks
the packets at the URL.  ``memory://`` lives inside one process: tests only, ``-j 1``.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from .atomic import TMP_PREFIX

URL_MARK = "://"


def is_url(out: str) -> bool:
    return URL_MARK in out


class Publisher:
    """The study's folder at an fsspec URL: packets are put there by relative path."""

    def __init__(self, url: str) -> None:
        import fsspec

        self.url = url.rstrip("/")
        self.fs: Any
        self.fs, root = fsspec.core.url_to_fs(self.url)
        self.root = root.rstrip("/")
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        self.renames = "file" in protocols  # rename is atomic there; elsewhere a put is
        self.in_process = "memory" in protocols

    def _key(self, rel: str) -> str:
        return f"{self.root}/{rel}"

    def put(self, files: list[tuple[Path, str]]) -> None:
        """Copy the built files of one packet (local path, relative key) to the URL."""
        for local, rel in files:
            final = self._key(rel)
            parent = final.rsplit("/", 1)[0]
            self.fs.makedirs(parent, exist_ok=True)
            if self.renames:
                tmp = f"{parent}/{TMP_PREFIX}{final.rsplit('/', 1)[1]}.{uuid.uuid4().hex[:8]}"
                self.fs.put_file(str(local), tmp)
                self.fs.mv(tmp, final)
            else:
                self.fs.put_file(str(local), final)

    def sizes(self, under: str) -> dict[str, int]:
        """Relative key → size of every file below ``under`` (one listing, for resume)."""
        top = self._key(under)
        if not self.fs.exists(top):
            return {}
        found = self.fs.find(top, detail=True)
        return {path[len(self.root) + 1:].lstrip("/"): int(info["size"]) for path, info in found.items()
                if info.get("type", "file") == "file"}

    def remove_temporaries(self, under: str) -> None:
        """Temporary names left by a worker killed between its put and its rename."""
        for rel in self.sizes(under):
            if rel.rsplit("/", 1)[-1].startswith(TMP_PREFIX):
                self.fs.rm(self._key(rel))
