"""``reviews mine --write``: put the chosen quotes and evidence figures into the spec.

The spec is round-tripped with ruamel.yaml, so the analyst's comments, key order, block
scalars and quoting survive (the shipped samples round-trip byte for byte).  For each
value prop with support, the best usable quotes (verified, fresh, not yet quoted) are
appended to ``quotes`` with their review metadata and a comment naming the imported
review, their ids are appended to the value prop's ``evidence``, and the evidence count
becomes a headline stat (``unit: percent``, evidence = those quotes) that documents can
cite.  Re-running is idempotent.  The new spec must pass ``load_spec`` before it replaces
the old one (atomically), so ``--write`` never leaves a spec that ``check`` rejects.
"""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from ..deliver.atomic import atomic_write
from ..spec.errors import InputError
from ..spec.load import load_spec
from ..text.languages import language
from .mine import Candidate, Finding, MineReport, chosen, pct

MAX_STATS, MAX_EVIDENCE, MAX_QUOTES = 12, 30, 60
STAT_LABEL = {
    "en": "Of {n} verified reviewers, share citing: {title}",
    "bn": "{n} জন যাচাইকৃত পর্যালোচকের মধ্যে যাঁরা বলেছেন: {title}",
    "th": "สัดส่วนผู้รีวิวที่ผ่านการตรวจสอบ {n} รายที่กล่าวถึง: {title}",
}


@dataclass
class WriteResult:
    spec: Path
    added_quotes: list[str] = field(default_factory=list)
    reused_quotes: list[str] = field(default_factory=list)
    evidence_added: dict[str, list[str]] = field(default_factory=dict)
    stats: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self) | {"spec": str(self.spec)}


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap the analyst's long lines
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.ignore_aliases = lambda *_: True  # the spec loader rejects aliases (shared dates would get one)
    return y


def _folded(text: str, width: int = 92) -> str:
    """A ``>-`` block scalar folded at single spaces (lossless); plain text if it can't fold."""
    if "\n" in text or text != text.strip() or "  " in text:
        return text
    fs = FoldedScalarString(text)
    pos, line_start = [], 0
    for i, ch in enumerate(text):
        if ch == " " and i - line_start > width:
            j = text.rfind(" ", line_start + 1, i + 1)
            if j > line_start:
                pos.append(j)
                line_start = j + 1
    fs.fold_pos = pos
    return fs


def _slug_id(prefix: str, raw: str, taken: set[str]) -> str:
    base = (prefix + re.sub(r"[^a-z0-9_-]+", "-", raw.lower())).strip("-")[:48].rstrip("-_")
    ident, n = base, 2
    while ident in taken:
        suffix = f"-{n}"
        ident, n = base[: 48 - len(suffix)] + suffix, n + 1
    taken.add(ident)
    return ident


def _number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _quote_map(c: Candidate, ident: str, rep: MineReport) -> CommentedMap:
    r, s = c.review, rep.spec_model
    as_of = s.vendor.reviews_as_of or s.study.as_of
    count = sum(1 for x in rep.counted if x.platform.casefold() == r.platform.casefold() and x.date <= as_of)
    reviewer = CommentedMap()
    if r.name:
        reviewer["name"] = r.name
    reviewer["role"], reviewer["segment"], reviewer["industry"] = r.role, r.segment, r.industry
    q = CommentedMap()
    for k, v in (("id", ident), ("text", _folded(c.quote)), ("reviewer", reviewer), ("review_date", r.date),
                 ("as_of", as_of), ("review_count_at_as_of", count), ("stars", _number(r.stars)),
                 ("platform", r.platform), ("review_id", r.review_id), ("url", r.url),
                 ("validated_reviewer", r.validated_reviewer), ("verified_current_user", r.verified_current_user),
                 ("incentivized", r.incentivized)):
        q[k] = v
    return q


def _label(rep: MineReport, f: Finding, n: int) -> str:
    s = rep.spec_model
    lang = s.study.language.split("-")[0]
    text = STAT_LABEL.get(lang, STAT_LABEL["en"]).format(n=n, title=f.title)
    if lang == "bn" and s.study.native_digits:
        text = language(lang).to_native(text)
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


def write_spec(rep: MineReport, per_vp: int = 1, stats: bool = True) -> WriteResult:
    path = rep.spec
    y = _yaml()
    data = y.load(path.read_text(encoding="utf-8"))
    res = WriteResult(path)
    quotes: CommentedSeq = data["quotes"]
    taken = {str(x["id"]) for key in ("quotes", "case_studies", "headline_stats", "value_props", "use_cases")
             for x in (data.get(key) or [])}
    by_review = {(str(q["platform"]).casefold(), str(q["review_id"])): str(q["id"]) for q in quotes}
    vps = {str(v["id"]): v for v in data["value_props"]}
    verified_total = rep.verified_total
    for f in rep.value_props():
        if f.status == "none":
            res.skipped.append(f"{f.id}: no supporting review, nothing written")
            continue
        vp = vps[f.id]
        ids: list[str] = []
        for c in chosen(f, per_vp):
            k = (c.review.platform.casefold(), c.review.review_id)
            if k in by_review:
                ids.append(by_review[k])
                res.reused_quotes.append(by_review[k])
                continue
            if len(quotes) >= MAX_QUOTES:
                res.skipped.append(f"{f.id}: the spec already has {MAX_QUOTES} quotes")
                break
            ident = _slug_id("q-", c.review.review_id, taken)
            quotes.append(_quote_map(c, ident, rep))
            src = c.review.source
            quotes.yaml_set_comment_before_after_key(
                len(quotes) - 1, before=f"Added by 'reviews mine --write' for {f.id}: imported review {c.review.key}"
                + (f" ({src.get('file')} row {src.get('row')})" if src else "") + f", relevance {c.rel:.2f}.",
                indent=2)
            by_review[k] = ident
            res.added_quotes.append(ident)
            ids.append(ident)
        evidence = vp["evidence"]
        for ident in ids:
            if ident not in evidence and len(evidence) < MAX_EVIDENCE:
                evidence.append(ident)
                res.evidence_added.setdefault(f.id, []).append(ident)
        if not stats or not ids:
            continue
        stat_id = _slug_id("stat-ev-", f.id.removeprefix("vp-"), set())
        seq = data.get("headline_stats")
        if seq is None:
            seq = CommentedSeq()
            pos = list(data).index("quotes") + 1 + (1 if "case_studies" in data else 0)
            data.insert(pos, "headline_stats", seq)
        stat = next((s for s in seq if str(s["id"]) == stat_id), None)
        if stat is None:
            if len(seq) >= MAX_STATS:
                res.skipped.append(f"{f.id}: headline_stats is full ({MAX_STATS}); evidence figure not added")
                continue
            stat = CommentedMap()
            seq.append(stat)
            seq.yaml_set_comment_before_after_key(
                len(seq) - 1, before=f"Evidence figure for {f.id} ('reviews mine'): {f.verified_support} of "
                                     f"{verified_total} verified reviews support it.", indent=2)
        stat["id"] = stat_id
        stat["label"] = _label(rep, f, verified_total)
        stat["value"] = _number(round(100 * f.verified_support / verified_total, 1)) if verified_total else 0
        stat["unit"] = "percent"
        cur = [str(e) for e in (stat.get("evidence") or [])]
        ev = CommentedSeq(dict.fromkeys([*cur, *ids]))
        ev.fa.set_flow_style()
        stat["evidence"] = ev
        res.stats.append(f"{stat_id} = {pct(f.verified_support, verified_total)}% of {verified_total} verified reviewers")
    out = io.StringIO()
    y.dump(data, out)
    text = out.getvalue()

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")
        try:
            load_spec(tmp)
        except InputError as exc:  # report against the real spec name
            exc.problems = [dataclasses.replace(p, file=str(path)) for p in exc.problems]
            raise

    atomic_write(path, write)
    return res
