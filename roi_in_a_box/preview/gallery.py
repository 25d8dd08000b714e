"""The static HTML gallery: ``<out>/index.html`` plus ``<out>/<study>/<stage>/index.html`` per batch.

Everything is read back from disk (``manifest.json``, ``batch-summary.json``,
``batch.jsonl``), so the gallery shows what was really built.  The pages are static
and offline: relative links only, inline CSS, no fonts or scripts from anywhere, and
every piece of spec text goes through Jinja2 autoescaping (URLs are percent-encoded
first).  Nothing in the templates is marked ``|safe``.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from ..render.registry import lookup, unit_of
from ..spec.stages import STAGES, TITLES
from ..text.scripts import script_of
from . import INDEX_NAME, PREVIEW_DIRNAME
from .thumbnails import NEEDS_LIBREOFFICE, Preview, PreviewCache, brand_font_dirs, make_previews, soffice

STAGE_ORDER, STAGE_TITLES = STAGES, TITLES
FIGURES = (  # manifest key, label, kind
    ("roi_pct", "ROI", "pct"),
    ("npv", "NPV", "money"),
    ("payback_months", "Payback", "months"),
    ("pv_benefits", "PV benefits", "money"),
    ("pv_costs", "PV costs", "money"),
    ("total_benefits", "Total benefits", "money"),
    ("total_costs", "Total costs", "money"),
    ("undiscounted_roi_pct", "Undiscounted ROI", "pct"),
)
BATCH_THUMB_LIMIT = 500  # accounts beyond this get links only (first-page thumbnails cost ~30 ms each)


@dataclass
class ErrorBanner:
    """A build that failed (shown at the top of the gallery): what, where, and each located problem."""

    title: str
    problems: list[str] = field(default_factory=list)
    spec: str = ""
    study_id: str = ""
    when: str = ""


# ---------------------------------------------------------------- view models


@dataclass
class Thumb:
    number: int
    src: str
    full: str
    width: int
    height: int


@dataclass
class DocView:
    name: str
    href: str
    stage: str
    layout: str
    format: str
    pages: int
    size: int
    sha256: str
    warnings: list[str]
    fitting: list[str]
    thumbs: list[Thumb] = field(default_factory=list)
    accessibility: list[dict[str, Any]] = field(default_factory=list)
    rendition_pages: int = 0
    note: str | None = None
    missing: bool = False

    @property
    def unit(self) -> str:
        return unit_of(self.format)

    @property
    def is_rendition(self) -> bool:
        """Previewed through a LibreOffice PDF rendition rather than the file itself."""
        info = lookup(self.format)
        return info is None or info.preview != "pdf"


@dataclass
class AccountRow:
    row: int
    line: int | None
    account: str
    status: str          # built | skipped | incomplete
    reason: str = ""
    name: str = ""       # the account's name, when the batch record has it
    docs: list[DocView] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return sum(len(d.warnings) for d in self.docs)

    @property
    def fitting(self) -> int:
        return sum(len(d.fitting) for d in self.docs)


@dataclass
class BatchView:
    stage: str
    accounts: int
    built: int
    reused: int
    skipped: int
    incomplete: int
    rows: list[AccountRow]
    href: str = ""           # the batch index, from <out>/index.html
    summary_href: str = ""
    thumbs_limited: bool = False


@dataclass
class StageView:
    name: str
    title: str
    docs: list[DocView] = field(default_factory=list)
    batch: BatchView | None = None


@dataclass
class Figure:
    label: str
    value: str
    definition: str


@dataclass
class StudyView:
    id: str
    anchor: str
    title: str
    language: str = ""
    draft: bool = False
    brand: str = ""
    spec: str = ""
    built: str = ""
    manifest_href: str = ""
    figures: list[Figure] = field(default_factory=list)
    classic: list[dict[str, Any]] = field(default_factory=list)
    shared: list[dict[str, Any]] = field(default_factory=list)
    zone: str = ""
    evidenced: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stages: list[StageView] = field(default_factory=list)
    manifest_problem: str = ""
    folder: str = ""

    @property
    def doc_count(self) -> int:
        return sum(len(s.docs) for s in self.stages)

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + sum(len(d.warnings) for s in self.stages for d in s.docs)


# ---------------------------------------------------------------- helpers


def href(target: Path, start_dir: Path) -> str:
    """A relative, percent-encoded URL from the page in ``start_dir`` to ``target``."""
    rel = os.path.relpath(target, start_dir)
    return quote(Path(rel).as_posix(), safe="/")


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def fmt_figure(value: Any, kind: str, currency: str = "") -> str:
    d = _dec(value)
    if d is None:
        return "beyond horizon" if kind == "months" else "n/a"
    if kind == "pct":
        return f"{d:,.1f} %"
    if kind == "months":
        return f"{d:,.1f} months"
    return (f"{currency} " if currency else "") + f"{d:,.0f}"


def fmt_size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n >= 1024 else f"{n} B"


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _stage_key(name: str) -> tuple[int, str]:
    return (STAGE_ORDER.index(name) if name in STAGE_ORDER else len(STAGE_ORDER), name)


def _anchor(text: str) -> str:
    return "s-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def _thumbs(preview: Preview | None, start_dir: Path) -> list[Thumb]:
    if preview is None:
        return []
    return [Thumb(p.number, href(p.thumb, start_dir), href(p.full, start_dir), max(1, p.width // 2),
                  max(1, p.height // 2)) for p in preview.pages]


def _doc(rec: dict[str, Any], study_dir: Path, start_dir: Path, previews: dict[Path, Preview]) -> DocView:
    path = study_dir / rec["path"]
    pv = previews.get(path)
    return DocView(name=path.name, href=href(path, start_dir), stage=str(rec.get("stage", "")),
                   layout=str(rec.get("layout", "")), format=str(rec.get("format", path.suffix.lstrip("."))),
                   pages=int(rec.get("pages", 0) or 0), size=int(rec.get("size", 0) or 0),
                   sha256=str(rec.get("sha256", "")), warnings=[str(w) for w in rec.get("warnings", [])],
                   fitting=[str(f) for f in rec.get("fitting", [])], thumbs=_thumbs(pv, start_dir),
                   accessibility=[dict(c) for c in rec.get("accessibility", []) if isinstance(c, dict)],
                   rendition_pages=pv.page_count if pv else 0, note=pv.note if pv else None,
                   missing=not path.is_file())


# ---------------------------------------------------------------- reading a study folder


@dataclass
class _BatchData:
    stage: str
    summary: dict[str, Any]
    records: dict[str, dict[str, Any]]   # account → last record with outputs


def _read_batch(stage_dir: Path) -> _BatchData | None:
    summary_path, state_path = stage_dir / "batch-summary.json", stage_dir / "batch.jsonl"
    if not summary_path.is_file() and not state_path.is_file():
        return None
    try:
        summary = _read_json(summary_path) if summary_path.is_file() else {}
    except (OSError, ValueError):
        summary = {}
    records: dict[str, dict[str, Any]] = {}
    if state_path.is_file():
        for line in state_path.read_text("utf-8", errors="replace").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue  # a line cut by a kill
            if isinstance(rec, dict) and "outputs" in rec and "account" in rec:
                records[str(rec["account"])] = rec
    return _BatchData(stage_dir.name, summary if isinstance(summary, dict) else {}, records)


def _batch_files(study_dir: Path, data: _BatchData) -> list[tuple[str, Path]]:
    return [(acc, study_dir / o["path"]) for acc, rec in data.records.items() for o in rec["outputs"]]


def _study_dirs(out_dir: Path) -> list[Path]:
    if not out_dir.is_dir():
        return []
    found = []
    for child in sorted(out_dir.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        if (child / "manifest.json").is_file() or any(child.glob("*/batch-summary.json")) \
                or any(child.glob("*/batch.jsonl")):
            found.append(child)
    return found


def _batch_view(study_dir: Path, data: _BatchData, out_dir: Path, previews: dict[Path, Preview],
                thumbs_limited: bool) -> BatchView:
    stage_dir = study_dir / data.stage
    failed = data.summary.get("failed", []) if isinstance(data.summary.get("failed"), list) else []
    failed_ids = {str(f.get("account")) for f in failed if f.get("account")}
    rows: list[AccountRow] = []
    for acc, rec in data.records.items():
        if acc in failed_ids:
            continue  # failed in the latest run: that is its status now
        docs = [_doc(o, study_dir, stage_dir, previews) for o in rec["outputs"]]
        missing = [d.name for d in docs if d.missing]
        rows.append(AccountRow(int(rec.get("row", 0) or 0), None, acc, "incomplete" if missing else "built",
                               reason=("missing: " + ", ".join(missing)) if missing else "", docs=docs,
                               name=str(rec.get("name") or "")))
    for f in failed:
        rows.append(AccountRow(int(f.get("number", 0) or 0), f.get("line"), str(f.get("account") or ""),
                               "skipped", reason=str(f.get("reason", ""))))
    rows.sort(key=lambda r: (r.row, r.account))
    built = sum(r.status == "built" for r in rows)
    return BatchView(stage=data.stage, accounts=int(data.summary.get("accounts", len(rows)) or len(rows)),
                     built=int(data.summary.get("built", built) or 0), reused=int(data.summary.get("reused", 0) or 0),
                     skipped=sum(r.status == "skipped" for r in rows),
                     incomplete=sum(r.status == "incomplete" for r in rows), rows=rows,
                     href=href(stage_dir / INDEX_NAME, out_dir),
                     summary_href=href(stage_dir / "batch-summary.json", stage_dir)
                     if (stage_dir / "batch-summary.json").is_file() else "",
                     thumbs_limited=thumbs_limited)


def read_study(study_dir: Path, out_dir: Path, *, previews: bool = True, office: bool = True,
               batch_thumb_limit: int = BATCH_THUMB_LIMIT,
               progress: Callable[[str], None] | None = None) -> StudyView:
    """Everything the gallery shows for one ``<out>/<study-id>/`` folder, previews rendered as needed."""
    manifest: dict[str, Any] = {}
    problem = ""
    mpath = study_dir / "manifest.json"
    if mpath.is_file():
        try:
            manifest = _read_json(mpath)
        except (OSError, ValueError) as exc:
            problem = f"manifest.json cannot be read: {exc}"
    study = manifest.get("study", {}) if isinstance(manifest.get("study"), dict) else {}
    roi = manifest.get("roi", {}) if isinstance(manifest.get("roi"), dict) else {}
    inputs = manifest.get("inputs", {}) if isinstance(manifest.get("inputs"), dict) else {}
    outputs = [o for o in manifest.get("outputs", []) if isinstance(o, dict) and "path" in o]
    batches = [b for d in sorted(p for p in study_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
               if (b := _read_batch(d)) is not None]

    # Previews: every page of the study's own documents; first pages of batch PDFs.
    rendered: dict[Path, Preview] = {}
    cache_dir = study_dir / PREVIEW_DIRNAME
    limited = False
    if previews:
        brand_root = (inputs.get("brand_kit") or {}).get("path")
        fonts = brand_font_dirs(brand_root) if office and soffice() else []
        main = [study_dir / o["path"] for o in outputs]
        rendered.update(make_previews(main, cache_dir, font_dirs=fonts, office=office, progress=progress))
        for data in batches:
            files = [p for _, p in _batch_files(study_dir, data) if p.suffix.lower() == ".pdf"]
            accounts = list(data.records)
            if len(accounts) > batch_thumb_limit:
                keep = set(accounts[:batch_thumb_limit])
                files = [p for acc, p in _batch_files(study_dir, data) if acc in keep and p.suffix.lower() == ".pdf"]
                limited = True
            rendered.update(make_previews(files, cache_dir, office=False, first_only=True, progress=progress))
        PreviewCache(cache_dir).prune({p.sha256 for p in rendered.values() if p.pages})

    view = StudyView(id=str(study.get("id") or study_dir.name), anchor=_anchor(study_dir.name),
                     title=str(study.get("title") or study_dir.name), language=str(study.get("language") or ""),
                     draft=bool(study.get("draft")), brand=str((inputs.get("brand_kit") or {}).get("name") or ""),
                     spec=str((inputs.get("spec") or {}).get("path") or ""),
                     built=datetime.fromtimestamp(mpath.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
                     if mpath.is_file() else "",
                     manifest_href=href(mpath, out_dir) if mpath.is_file() else "",
                     manifest_problem=problem, folder=study_dir.name)
    currency = str(study.get("currency") or "")
    for key, label, kind in FIGURES:
        fig = roi.get(key)
        if isinstance(fig, dict):
            view.figures.append(Figure(label, fmt_figure(fig.get("value"), kind, currency), str(fig.get("definition", ""))))
    view.classic = [c for c in roi.get("classic", []) if isinstance(c, dict)]
    view.shared = [s for s in roi.get("shared_outcomes", []) if isinstance(s, dict)]
    view.zone = str(roi.get("zone") or "")
    view.evidenced = [str(x) for x in roi.get("evidenced_types", [])]
    view.next_steps = [str(x) for x in roi.get("next_steps", [])]
    cov = manifest.get("coverage", roi.get("coverage", []))
    view.coverage = [c for c in cov if isinstance(c, dict)] if isinstance(cov, list) else []
    view.warnings = [str(w) for w in manifest.get("warnings", [])]

    stages: dict[str, StageView] = {}
    for o in outputs:
        st = str(o.get("stage") or Path(o["path"]).parts[0])
        stages.setdefault(st, StageView(st, STAGE_TITLES.get(st, st))).docs.append(
            _doc(o, study_dir, out_dir, rendered))
    for data in batches:
        sv = stages.setdefault(data.stage, StageView(data.stage, STAGE_TITLES.get(data.stage, data.stage)))
        sv.batch = _batch_view(study_dir, data, out_dir, rendered, limited)
    view.stages = [stages[k] for k in sorted(stages, key=_stage_key)]
    return view


# ---------------------------------------------------------------- templates

CSS = """
:root{--ink:#1e1f24;--muted:#5b6270;--line:#d9dde3;--bg:#f5f6f8;--card:#fff;--navy:#1f3a5f;--teal:#2e7d74;
--amber:#b7791f;--red:#b42318;--redbg:#fef3f2;--ambg:#fffaeb}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 "Gallery Latin","Gallery Bengali","Gallery Thai",
system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
header.top{background:var(--navy);color:#fff;padding:14px 28px}
header.top h1{margin:0;font-size:20px}
header.top p{margin:2px 0 0;color:#c9d3e0;font-size:13px}
main{max-width:1440px;margin:0 auto;padding:18px 28px 60px}
a{color:#1d4ed8}
nav.toc{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 16px;margin-bottom:18px}
nav.toc ul{margin:4px 0;padding-left:18px}
.banner{border-radius:8px;padding:12px 16px;margin:0 0 16px;border:1px solid}
.banner.error{background:var(--redbg);border-color:#fda29b;color:#7a271a}
.banner.info{background:var(--ambg);border-color:#fec84b;color:#7a2e0e}
.banner h2{margin:0 0 6px;font-size:16px}
.banner ul{margin:4px 0 0;padding-left:20px}
.banner li{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;white-space:pre-wrap;
overflow-wrap:anywhere}
section.study{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:0 0 24px}
section.study>h2{margin:0;font-size:22px;color:var(--navy)}
.meta{color:var(--muted);font-size:13px;margin:2px 0 10px}
.badge{display:inline-block;border-radius:999px;padding:1px 8px;font-size:12px;font-weight:600;vertical-align:middle;
background:#eef1f5;color:var(--ink)}
.badge.draft,.badge.skipped{background:#fee4e2;color:var(--red)}
.badge.built{background:#dcfae6;color:#067647}
.badge.incomplete{background:#fef0c7;color:#93370d}
.badge.zone{background:#fdf1d8;color:#7a4a06}
.badge.pdf{background:#fee4e2;color:#912018}.badge.docx{background:#d1e9ff;color:#194185}
.badge.pptx{background:#ffead5;color:#932f19}
.summary{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:18px;margin:8px 0 6px}
@media (max-width:1000px){.summary{grid-template-columns:1fr}}
.figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}
.fig{border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.fig b{display:block;font-size:19px;color:var(--navy)}
.fig span{font-size:12px;color:var(--muted)}
h3{margin:18px 0 8px;font-size:17px;border-bottom:2px solid var(--line);padding-bottom:3px}
h4{margin:10px 0 4px;font-size:14px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 6px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
ul.warn,ul.fit{margin:4px 0;padding-left:18px;font-size:13px}
ul.warn li{color:#93370d}
ul.fit li{color:var(--muted)}
.doc{border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:0 0 12px}
.doc .head{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline}
.doc .head a.file{font-weight:600;font-size:15px}
.doc .head .facts{color:var(--muted);font-size:13px}
.strip{display:flex;flex-wrap:wrap;gap:10px 12px;padding:8px 2px 6px}
.strip a{flex:0 0 auto;text-decoration:none;color:var(--muted);font-size:11px;text-align:center}
.strip img{display:block;height:180px;width:auto;max-width:100%;border:1px solid #c5cbd3;background:#fff;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
.strip.slides img{height:150px}
.strip a:hover img{outline:2px solid var(--teal)}
.note{font-size:13px;color:#7a2e0e;background:var(--ambg);border-radius:6px;padding:4px 8px;display:inline-block}
.mini img{height:90px;width:auto;border:1px solid #c5cbd3;background:#fff}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
footer{color:var(--muted);font-size:12px;margin-top:30px}
"""

BASE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file: data:; font-src data:; style-src 'unsafe-inline'">
<title>{% block title %}{% endblock %}</title>
<style>/*font-faces*/{{ css | safe }}</style>
</head>
<body>
<header class="top"><h1>{% block heading %}{% endblock %}</h1><p>{% block sub %}{% endblock %}</p></header>
<main>
{% for e in errors %}
<div class="banner error" role="alert">
  <h2>{{ e.title }}</h2>
  {% if e.spec %}<div class="mono">{{ e.spec }}{% if e.when %} · {{ e.when }}{% endif %}</div>{% endif %}
  <ul>{% for p in e.problems %}<li>{{ p }}</li>{% endfor %}</ul>
  <p>The last good outputs below stay in place until the spec builds again.</p>
</div>
{% endfor %}
{% block body %}{% endblock %}
<footer>Generated {{ generated }} by roi-in-a-box. Static page: opens from disk, no server or network needed.</footer>
</main>
</body>
</html>
"""

MACROS = """
{% macro doc_card(d) -%}
<article class="doc">
  <div class="head">
    <a class="file" href="{{ d.href }}">{{ d.name }}</a>
    <span class="badge {{ d.format }}">{{ d.format | upper }}</span>
    <span class="facts">{{ d.layout }} · {{ d.pages }} {{ d.unit }}{{ '' if d.pages == 1 else 's' }}
      {%- if d.rendition_pages and d.rendition_pages != d.pages and d.is_rendition %} (LibreOffice rendition: {{ d.rendition_pages }}){% endif %}
      · {{ size(d.size) }} · <span class="mono" title="sha256 {{ d.sha256 }}">{{ d.sha256[:12] }}</span></span>
    {% if d.missing %}<span class="badge skipped">file missing</span>{% endif %}
  </div>
  {% if d.thumbs %}
  <div class="strip{{ ' slides' if d.unit == 'slide' else '' }}">
    {% for t in d.thumbs %}<a href="{{ t.full }}" title="{{ d.name }}: {{ d.unit }} {{ t.number }} (full size)"><img src="{{ t.src }}" width="{{ t.width }}" height="{{ t.height }}" alt="{{ d.name }} {{ d.unit }} {{ t.number }}"><br>{{ t.number }}</a>{% endfor %}
  </div>
  {% endif %}
  {% if d.note %}<p class="note">No preview: {{ d.note }}</p>{% endif %}
  {% if d.warnings %}<h4>{{ d.warnings | length }} warning{{ '' if d.warnings | length == 1 else 's' }}</h4>
  <ul class="warn">{% for w in d.warnings %}<li>{{ w }}</li>{% endfor %}</ul>{% endif %}
  {% if d.fitting %}<h4>{{ d.fitting | length }} fitting change{{ '' if d.fitting | length == 1 else 's' }}</h4>
  <ul class="fit">{% for f in d.fitting %}<li>{{ f }}</li>{% endfor %}</ul>{% endif %}
  {% if d.accessibility %}{% set failed = d.accessibility | rejectattr('ok') | list %}
  <details class="a11y"><summary>Accessibility: {{ d.accessibility | length - failed | length }}/{{ d.accessibility | length }} checks pass</summary>
  <ul>{% for c in d.accessibility %}<li class="{{ 'ok' if c.ok else 'warn' }}">{{ '✓' if c.ok else '✗' }} {{ c.check }}: {{ c.detail }}</li>{% endfor %}</ul></details>{% endif %}
</article>
{%- endmacro %}
"""

INDEX = """{% extends "base.html" %}{% import "macros.html" as m %}
{% block title %}ROI in a Box: previews{% endblock %}
{% block heading %}ROI in a Box: preview gallery{% endblock %}
{% block sub %}{{ out_name }} · {{ studies | length }} stud{{ 'y' if studies | length == 1 else 'ies' }}{% endblock %}
{% block body %}
{% if needs_lo %}<div class="banner info"><h2>Some previews are missing</h2><p>{{ needs_lo }}</p>
<p>PDF previews are shown; DOCX and PPTX files are still linked below.</p></div>{% endif %}
{% if not studies %}<p>No builds found in this folder yet. Run <span class="mono">roi-in-a-box build SPEC</span>.</p>{% endif %}
{% if studies | length > 1 %}
<nav class="toc"><b>Studies</b><ul>{% for s in studies %}<li><a href="#{{ s.anchor }}">{{ s.title }}</a>
 <span class="meta">{{ s.id }} · {{ s.doc_count }} file(s){% if s.warning_count %} · {{ s.warning_count }} warning(s){% endif %}</span></li>{% endfor %}</ul></nav>
{% endif %}
{% for s in studies %}
<section class="study" id="{{ s.anchor }}">
  <h2>{{ s.title }} {% if s.draft %}<span class="badge draft">DRAFT: watermarked</span>{% endif %}</h2>
  <div class="meta">{{ s.id }}{% if s.language %} · {{ s.language }}{% endif %}{% if s.brand %} · brand: {{ s.brand }}{% endif %}
    {% if s.spec %} · spec <span class="mono">{{ s.spec }}</span>{% endif %}{% if s.built %} · built {{ s.built }}{% endif %}
    {% if s.manifest_href %} · <a href="{{ s.manifest_href }}">manifest.json</a>{% endif %}</div>
  {% if s.stages | length > 1 %}<div class="meta">Jump to: {% for st in s.stages %}<a href="#{{ s.anchor }}-{{ st.name }}">{{ st.title }}</a>{{ ' · ' if not loop.last }}{% endfor %}</div>{% endif %}
  {% if s.manifest_problem %}<p class="note">{{ s.manifest_problem }}</p>{% endif %}
  {% if s.figures %}
  <div class="summary">
    <div>
      <h3>ROI summary</h3>
      <div class="figs">{% for f in s.figures %}<div class="fig" title="{{ f.definition }}"><b>{{ f.value }}</b><span>{{ f.label }}</span></div>{% endfor %}</div>
      {% if s.classic %}<h4>Classic ROI</h4><ul class="fit">{% for c in s.classic %}<li>{{ c.label }}: {{ pct(c.roi_pct) }}</li>{% endfor %}</ul>{% endif %}
      {% for so in s.shared %}<h4>Shared outcome {{ so.id }} ({{ so.method }})</h4>
        <table><tr><th>Contributor</th><th>Share</th><th>Amount</th><th>Label</th></tr>
        {% for c in so.contributors %}<tr><td>{{ c.name }}</td><td class="num">{{ share(c.share) }}</td><td class="num">{{ money(c.amount) }}</td><td>{{ c.label }}</td></tr>{% endfor %}</table>
      {% endfor %}
      <details><summary>Definitions</summary><ul class="fit">{% for f in s.figures %}<li><b>{{ f.label }}</b>: {{ f.definition }}</li>{% endfor %}</ul></details>
    </div>
    <div>
      <h3>Zone and evidence</h3>
      <p>Zone: {% if s.zone %}<span class="badge zone">{{ s.zone }}</span>{% else %}none{% endif %}
      · evidenced: {{ s.evidenced | join(', ') if s.evidenced else 'none' }}</p>
      <p>Next step up the slope: {{ s.next_steps | join(' or ') if s.next_steps else 'none (top of the slope)' }}</p>
      {% if s.coverage %}<h4>Evidence coverage</h4>
      <table><tr><th>Value proposition</th><th>Verified quotes</th><th>Case studies</th><th>Usable quotes</th></tr>
      {% for c in s.coverage %}<tr><td>{{ c.value_prop }}</td><td class="num">{{ (c.verified_quotes or []) | length }}</td>
        <td class="num">{{ (c.case_studies or []) | length }}</td><td class="num">{{ (c.usable_quotes or []) | length }}</td></tr>{% endfor %}</table>{% endif %}
      <h4>{{ s.warnings | length }} study warning{{ '' if s.warnings | length == 1 else 's' }}</h4>
      {% if s.warnings %}<ul class="warn">{% for w in s.warnings %}<li>{{ w }}</li>{% endfor %}</ul>{% endif %}
    </div>
  </div>
  {% endif %}
  {% for st in s.stages %}
  <h3 id="{{ s.anchor }}-{{ st.name }}">{{ st.title }}</h3>
  {% for d in st.docs %}{{ m.doc_card(d) }}{% endfor %}
  {% if st.batch %}{% set b = st.batch %}
  <div class="doc"><div class="head"><b>Batch: {{ b.accounts }} account{{ '' if b.accounts == 1 else 's' }}</b>
    <span class="facts">{{ b.built }} built this run · {{ b.reused }} reused · {{ b.skipped }} skipped{% if b.incomplete %} · {{ b.incomplete }} with missing files{% endif %}</span>
    <a href="{{ b.href }}">open the per-account index</a></div>
    {% set bad = b.rows | selectattr('status', 'ne', 'built') | list %}
    {% if bad %}<ul class="warn">{% for r in bad[:20] %}<li>row {{ r.row }}{% if r.line %} (line {{ r.line }}){% endif %}{% if r.account %} [{{ r.account }}]{% endif %}: {{ r.status }}: {{ r.reason }}</li>{% endfor %}
      {% if bad | length > 20 %}<li>… {{ bad | length - 20 }} more in the per-account index</li>{% endif %}</ul>{% endif %}
  </div>
  {% endif %}
  {% endfor %}
</section>
{% endfor %}
{% endblock %}
"""

BATCH = """{% extends "base.html" %}
{% block title %}{{ s.title }}: {{ b.stage }} batch{% endblock %}
{% block heading %}{{ s.title }}: {{ stage_title }} batch{% endblock %}
{% block sub %}{{ s.id }} · {{ b.accounts }} account(s): {{ b.built }} built this run, {{ b.reused }} reused, {{ b.skipped }} skipped{% endblock %}
{% block body %}
<p><a href="{{ back }}">← all studies</a>{% if b.summary_href %} · <a href="{{ b.summary_href }}">batch-summary.json</a>{% endif %}</p>
{% if b.thumbs_limited %}<p class="note">Only the first accounts have thumbnails (there are many); every file is linked.</p>{% endif %}
<table>
<tr><th>Row</th><th>Account</th><th>Status</th><th>Documents</th><th>First page</th><th>Warnings and fitting</th></tr>
{% for r in b.rows %}
<tr id="acct-{{ loop.index }}">
  <td class="num">{{ r.row }}{% if r.line %}<br><span class="meta">line {{ r.line }}</span>{% endif %}</td>
  <td><span class="mono">{{ r.account or '(no id)' }}</span>{% if r.name %}<br>{{ r.name }}{% endif %}</td>
  <td><span class="badge {{ r.status }}">{{ r.status }}</span>{% if r.reason %}<div>{{ r.reason }}</div>{% endif %}</td>
  <td>{% for d in r.docs %}<div><a href="{{ d.href }}">{{ d.name }}</a> <span class="meta">{{ d.pages }} {{ d.unit }}{{ '' if d.pages == 1 else 's' }} · {{ size(d.size) }}</span></div>{% endfor %}</td>
  <td class="mini">{% for d in r.docs %}{% for t in d.thumbs[:1] %}<a href="{{ t.full }}" title="{{ d.name }} page 1"><img src="{{ t.src }}" width="{{ (t.width / 2) | int }}" height="{{ (t.height / 2) | int }}" alt="{{ r.account }} {{ d.name }} page 1" loading="lazy"></a> {% endfor %}{% endfor %}</td>
  <td>{% for d in r.docs %}{% if d.warnings or d.fitting %}<details><summary>{{ d.name }}: {{ d.warnings | length }} warning(s), {{ d.fitting | length }} fitting</summary>
      <ul class="warn">{% for w in d.warnings %}<li>{{ w }}</li>{% endfor %}</ul><ul class="fit">{% for f in d.fitting %}<li>{{ f }}</li>{% endfor %}</ul></details>{% endif %}{% endfor %}</td>
</tr>
{% endfor %}
</table>
{% endblock %}
"""


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader({"base.html": BASE, "macros.html": MACROS, "index.html": INDEX,
                                                        "batch.html": BATCH}),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(css=CSS, size=fmt_size, pct=lambda v: fmt_figure(v, "pct"),
                       money=lambda v: fmt_figure(v, "money"),
                       share=lambda v: fmt_figure((_dec(v) or Decimal(0)) * 100, "pct"))
    return env


def _write(path: Path, text: str) -> None:
    from ..deliver.atomic import atomic_write_bytes

    atomic_write_bytes(path, text.encode("utf-8"))


# The package's own fonts, subset to the characters of each page and embedded as data URIs:
# Bengali and Thai study text then reads right on machines without those scripts' fonts,
# and the gallery stays one offline file (browsers refuse web fonts from file:// URLs).
GALLERY_FONTS = (("Gallery Latin", "fontpkg_lato", "Lato"), ("Gallery Bengali", "fontpkg_hind_siliguri", "HindSiliguri"),
                 ("Gallery Thai", "fontpkg_sarabun", "Sarabun"))
_FONT_FACES = "/*font-faces*/"


def _subset_b64(path: Path, text: str) -> str | None:
    """The font subset to the characters of ``text`` it has, base64; None if it has none."""
    from ..brand.fonts import coverage

    cmap = coverage(path)
    chars = "".join(sorted({c for c in text if ord(c) in cmap and not c.isspace()}))
    return _subset_chars(path, chars) if chars else None


@lru_cache(maxsize=64)
def _subset_chars(path: Path, chars: str) -> str:
    """Cached: watch mode rewrites the same pages over and over."""
    import base64

    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    options = subset.Options()
    options.layout_features = ["*"]  # keep shaping (conjuncts, vowel signs, Thai marks)
    options.name_IDs, options.notdef_outline = [], True
    sub = subset.Subsetter(options)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def embed_fonts(html: str) -> str:
    """Replace the page's font-face marker with subset, embedded gallery fonts."""
    from importlib.resources import files

    rules = []
    for family, package, stem in GALLERY_FONTS:
        if family != "Gallery Latin" and not any(script_of(c) == family.split()[1].lower() for c in html):
            continue  # no text in that script on this page
        for weight, css_weight in (("Regular", 400), ("Bold", 700)):
            data = _subset_b64(Path(str(files(package) / "files" / f"{stem}-{weight}.ttf")), html)
            if data:
                rules.append(f'@font-face{{font-family:"{family}";font-weight:{css_weight};'
                             f'src:url(data:font/ttf;base64,{data}) format("truetype")}}')
    return html.replace(_FONT_FACES, "\n".join(rules), 1)


def render_index(studies: Sequence[StudyView], *, out_name: str = "", errors: Sequence[ErrorBanner] = (),
                 needs_lo: str = "") -> str:
    return embed_fonts(_env().get_template("index.html").render(
        studies=studies, out_name=out_name, errors=list(errors), needs_lo=needs_lo,
        generated=datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")))


def render_batch(study: StudyView, stage: StageView, *, back: str, errors: Sequence[ErrorBanner] = ()) -> str:
    assert stage.batch is not None
    return embed_fonts(_env().get_template("batch.html").render(
        s=study, b=stage.batch, stage_title=stage.title, back=back, errors=list(errors),
        generated=datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")))


def write_gallery(out_dir: Path, *, previews: bool = True, office: bool = True,
                  errors: Iterable[ErrorBanner] = (), batch_thumb_limit: int = BATCH_THUMB_LIMIT,
                  progress: Callable[[str], None] | None = None) -> Path:
    """Render previews as needed and write ``<out>/index.html`` (plus one index per batch stage)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    errors = list(errors)
    studies = [read_study(d, out_dir, previews=previews, office=office, batch_thumb_limit=batch_thumb_limit,
                          progress=progress) for d in _study_dirs(out_dir)]
    needs_lo = NEEDS_LIBREOFFICE if any(d.note == NEEDS_LIBREOFFICE for s in studies for st in s.stages
                                        for d in st.docs) else ""
    index = out_dir / INDEX_NAME
    _write(index, render_index(studies, out_name=str(out_dir), errors=errors, needs_lo=needs_lo))
    for s in studies:
        for st in s.stages:
            if st.batch is not None:
                stage_dir = out_dir / s.folder / st.name
                _write(stage_dir / INDEX_NAME,
                       render_batch(s, st, back=href(index, stage_dir),
                                    errors=[e for e in errors if e.study_id in ("", s.id)]))
    return index

