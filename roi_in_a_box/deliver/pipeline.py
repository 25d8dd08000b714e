"""The main job: one study → every requested stage's documents, plus a manifest.

Spec → analysis → (per document) layout tree → fitting → renderer → atomic file.
Outputs land in ``<out>/<study-id>/<stage>/<layout>.<ext>`` with ``manifest.json``
beside them; unchanged inputs rebuild nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..brand.model import Brand
from ..layout import engine
from ..layout.layout_file import layout_path, load_layout
from ..layout.tree import Document
from ..layout.notes import number_notes
from ..model.account import Account, realised
from ..model.plausibility import document_warnings
from ..model.study import Analysis
from ..model.summary import roi_figures, summary_json
from ..render.base import Measurement
from ..render.registry import format_info, renderer_for
from . import accessibility, fingerprint
from .atomic import atomic_write, atomic_write_bytes, stale_temporaries
from .lock import study_lock
from .logo import vendor_logo
from .recipes import STAGES, load_recipes, recipes_path


# Whether the last document of a (stage, layout, format) needed fitting.  Only a speed
# hint: a document is first rendered in full (that render is then the file) only when the
# last one of its kind fitted as it was; otherwise, and in a fresh process, it is first
# counted (layout without drawing), since a full render would be thrown away.  The file
# is the same either way.
_NEEDED_FITTING: dict[tuple[str, str, str], bool] = {}


@dataclass(frozen=True)
class Job:
    stage: str
    layout: str
    fmt: str
    path: Path


@dataclass
class OutputRecord:
    path: str
    stage: str
    layout: str
    format: str
    sha256: str
    size: int
    pages: int
    warnings: list[str] = field(default_factory=list)
    fitting: list[str] = field(default_factory=list)
    accessibility: list[dict[str, object]] = field(default_factory=list)  # deliver/accessibility.py, read back


@dataclass
class BuildReport:
    study_id: str
    out_dir: Path
    manifest: Path
    outputs: list[OutputRecord]
    skipped: bool  # nothing changed: nothing written


def plan(study_id: str, out: Path, stages: tuple[str, ...], formats: tuple[str, ...] | None,
         layout: str | None, study_dir: Path | None = None) -> list[Job]:
    """Jobs for the chosen stages; ``layout`` + ``formats`` renders one layout in any format."""
    recipes = load_recipes()
    jobs = []
    base = out / study_id
    for stage in stages:
        if layout is not None:
            fmts = formats or tuple(load_layout(layout, study_dir)[0].formats)
            jobs += [Job(stage, layout, f, base / stage / f"{Path(layout).stem}.{f}") for f in fmts]
            continue
        for doc in recipes.stage(stage).documents:  # type: ignore[arg-type]
            for f in doc.formats:
                if formats is None or f in formats:
                    jobs.append(Job(stage, doc.layout, f, base / stage / f"{doc.layout}.{f}"))
    return jobs


def render_one(analysis: Analysis, job: Job, brand: Brand, *, account: Account | None = None,
               logo: Path | None = None, check: bool = True) -> OutputRecord:
    """Lay out, fit and render one document atomically; return what was written, with its
    accessibility report unless ``check`` is off (the benchmark times rendering alone)."""
    result_acc = realised(analysis.spec, account, analysis.result) if account else None
    doc, fitting = engine.build_document(analysis, job.layout, brand, stage=job.stage, account=account,
                                         account_result=result_acc, vendor_logo=logo)
    pages, warnings = 0, []
    last: list[tuple[Document, Measurement]] = []  # the last full render made while measuring
    info = format_info(job.fmt)
    renderer = renderer_for(job.fmt)
    if info.paged:  # the engine fits the page count; slides are fitted per shape instead
        hint = (job.stage, job.layout, job.fmt)
        first = [_NEEDED_FITTING.get(hint) is False]
        counted: list[Document] = []  # trees counted so far: fitting measures its winner a second time, last

        def measure(d: Document) -> int:
            if not first[0] and not any(c is d for c in counted):  # counting pages is enough
                counted.append(d)
                return renderer.count_pages(d, brand)
            first[0] = False  # the first tree (likely to fit as it is) or the winner: that typesetting is the file
            m = renderer.measure(d, brand)
            if m.data is not None:
                last[:] = [(d, m)]
            return m.pages

        unfitted = doc
        doc, changes, pages = engine.fit(doc, measure, finish=number_notes)
        _NEEDED_FITTING[hint] = bool(changes)
        fitting += changes
        if pages > 1:  # a nearly empty last page is pulled back when only minor blocks stand in the way
            if not (last and last[0][0] is doc):
                m = renderer.measure(doc, brand)  # the file, unless balancing changes the tree
                last[:] = [(doc, m)] if m.data is not None else []
            fill = last[0][1].last_fill if last else None
            balanced = engine.balance(unfitted, pages, fill, measure, finish=number_notes)
            if balanced is not None:
                doc, more, pages = balanced
                fitting += more
    else:  # slides: the planner keeps what it can; notes are numbered over the whole deck
        doc = number_notes(doc)
    if last and last[0][0] is doc and last[0][1].data is not None:  # that render is of this very tree
        data = last[0][1].data
        atomic_write_bytes(job.path, data)
        warnings = list(last[0][1].warnings)
        pages = last[0][1].pages
    else:
        result = atomic_write(job.path, lambda tmp: renderer.render(doc, brand, tmp))
        data = job.path.read_bytes()
        warnings = list(result.warnings)
        fitting += result.fitting
        if info.exact_pages:
            pages = result.pages
    shown = result_acc.result if result_acc is not None else analysis.result
    warnings += document_warnings(job.stage, shown, f"account {account.id}'s own figures" if account is not None and result_acc is not None
                                  else "the study model")
    return OutputRecord(path=job.path.as_posix(), stage=job.stage, layout=job.layout, format=job.fmt,
                        sha256=hashlib.sha256(data).hexdigest(), size=len(data), pages=pages,
                        warnings=warnings, fitting=fitting,
                        accessibility=accessibility.report(job.path, job.fmt, brand) if check else [])


def input_fingerprint(analysis: Analysis, brand: Brand, jobs: list[Job]) -> dict[str, object]:
    layouts = sorted({j.layout for j in jobs})
    return {
        "engine": {"version": fingerprint.__version__, "code_sha256": fingerprint.engine_hash()},
        "spec": {"path": analysis.loaded.path.as_posix(), "sha256": analysis.loaded.located.digest},
        "layouts": {name: fingerprint.file_hash(layout_path(name, analysis.loaded.path.parent)) for name in layouts}
                   | {"stages": fingerprint.file_hash(recipes_path())},
        "brand_kit": {"name": brand.name, "path": brand.root.as_posix(), "sha256": brand.digest},
        "fonts": fingerprint.font_hashes(brand),
        "jobs": [f"{j.stage}/{j.layout}.{j.fmt}" for j in jobs],
    }


def _up_to_date(manifest: Path, key: str) -> bool:
    try:
        old = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if old.get("input_key") != key:
        return False
    for rec in old.get("outputs", []):
        p = manifest.parent / rec["path"]
        if not p.is_file() or p.stat().st_size != rec["size"] or fingerprint.file_hash(p) != rec["sha256"]:
            return False
    return True


def build(analysis: Analysis, brand: Brand, out: Path, *, stages: tuple[str, ...] = STAGES,
          formats: tuple[str, ...] | None = None, layout: str | None = None, force: bool = False,
          progress: Callable[[Job], None] | None = None,
          on_wait: Callable[[str], None] | None = None) -> BuildReport:
    """Build the requested documents for one study, or nothing if nothing changed.

    Holds the study folder's lock throughout: a concurrent build of the same study into the
    same ``out`` waits (``on_wait`` is told) instead of interleaving its files with ours.
    """
    with study_lock(out / analysis.spec.study.id, on_wait):
        return _build(analysis, brand, out, stages=stages, formats=formats, layout=layout, force=force,
                      progress=progress)


def _build(analysis: Analysis, brand: Brand, out: Path, *, stages: tuple[str, ...], formats: tuple[str, ...] | None,
           layout: str | None, force: bool, progress: Callable[[Job], None] | None = None) -> BuildReport:
    study_id = analysis.spec.study.id
    base = out / study_id
    for tmp in stale_temporaries(base):
        tmp.unlink(missing_ok=True)
    jobs = plan(study_id, out, stages, formats, layout, analysis.loaded.path.parent)
    inputs = input_fingerprint(analysis, brand, jobs)
    key = fingerprint.combined(inputs)
    manifest_path = base / "manifest.json"
    if not force and _up_to_date(manifest_path, key):
        old = json.loads(manifest_path.read_text("utf-8"))
        return BuildReport(study_id, base, manifest_path, [OutputRecord(**o) for o in old["outputs"]], skipped=True)
    logo = vendor_logo(analysis)
    records = []
    for job in jobs:
        rec = render_one(analysis, job, brand, logo=logo)
        rec.path = job.path.relative_to(base).as_posix()
        records.append(rec)
        if progress is not None:
            progress(job)
    manifest = {
        "input_key": key,
        "inputs": inputs,
        "study": {"id": study_id, "title": analysis.spec.study.title, "language": analysis.spec.study.language,
                  "currency": analysis.spec.study.currency, "draft": analysis.draft},
        "coverage": summary_json(analysis)["coverage"],
        "roi": roi_figures(analysis) | {"zone": analysis.zone, "evidenced_types": list(analysis.evidenced_types),
                                        "next_steps": list(analysis.next_steps)},
        "warnings": [str(w) for w in analysis.warnings],
        "outputs": [asdict(r) for r in records],
    }
    atomic_write_bytes(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return BuildReport(study_id, base, manifest_path, records, skipped=False)
