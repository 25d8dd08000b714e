"""Typst on the same documents as the engine, for bench/run.py's side-by-side.

Each account's document tree (``roi_in_a_box/layout/tree.py``, after fitting: exactly what
the engine draws) is serialised to JSON and typeset by ``bench/document.typ`` with one
reused ``typst.Compiler`` per process, tagged and PDF/UA-1 + PDF/A-2a like the engine's
files.  Typst has no batch mode, so a pool of processes runs it the way ``batch -j`` runs
the engine.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import time
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve().parent / "document.typ"
STANDARDS = ["ua-1", "a-2a"]
_COMPILER: list[Any] = []


def tree_json(doc: object) -> str:
    """The tree as JSON, each block tagged with its type name (``kind``)."""

    def enc(o: object) -> object:
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            d = {f.name: enc(getattr(o, f.name)) for f in dataclasses.fields(o) if f.name != "origin"}
            if "priority" in d:
                d["kind"] = type(o).__name__
            return d
        if isinstance(o, (tuple, list)):
            return [enc(x) for x in o]
        return o

    return json.dumps(enc(doc), ensure_ascii=False)


def _init(font_dirs: list[str]) -> None:
    import typst

    _COMPILER[:] = [typst.Compiler(str(SCRIPT), root="/", font_paths=font_dirs, ignore_system_fonts=True)]


def compile_one(args: tuple[str, str]) -> int:
    """Typeset one tree (JSON) into ``path``; returns the file's size."""
    data, path = args
    pdf = _COMPILER[0].compile(sys_inputs={"doc": data}, pdf_standards=STANDARDS)
    Path(path).write_bytes(pdf)
    return len(pdf)


def per_document(trees: list[str], font_dirs: list[str], out: Path) -> list[float]:
    """Seconds per document in this process, compiler reused (after two warm-up runs)."""
    _init(font_dirs)
    for data in trees[:2]:
        compile_one((data, str(out / "warm.pdf")))
    times = []
    for i, data in enumerate(trees):
        t0 = time.perf_counter()
        compile_one((data, str(out / f"t{i % 4}.pdf")))
        times.append(time.perf_counter() - t0)
    return times


def pool(trees: list[str], font_dirs: list[str], out: Path, jobs: int) -> float:
    """Documents per second with ``jobs`` forked processes, one compiler each."""
    ctx = multiprocessing.get_context("spawn")  # Typst runs threads: never fork a process that has them
    with ctx.Pool(jobs, initializer=_init, initargs=(font_dirs,)) as p:
        p.map(compile_one, [(trees[0], str(out / "warm.pdf"))] * jobs, chunksize=1)  # compilers warm
        t0 = time.perf_counter()
        p.map(compile_one, [(d, str(out / f"typst-{i}.pdf")) for i, d in enumerate(trees)], chunksize=8)
        return len(trees) / (time.perf_counter() - t0)
