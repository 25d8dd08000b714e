"""Mutated specs (a key dropped, a value of the wrong type or size, a list emptied) are
either accepted, and then lay out and render in every format, or refused with located
problems: never a traceback, never a problem without a line or a field.

Mutations start from the complete English sample, so every section of the format is hit.
The same holds for the accounts CSV, review exports (CSV and JSONL) and layout files:
mutated cells, records and fields give accounts, reviews and documents, or row errors
and located problems, never a traceback.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.layout.engine import build_document
from roi_in_a_box.model.study import load_study
from roi_in_a_box.render.registry import renderer_for
from roi_in_a_box.spec.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
BASE = yaml.safe_load((ROOT / "sample_inputs" / "ledgerly_en.yaml").read_text("utf-8"))
ODD = [None, "", 0, -1, 10**12, 3.5, "x" * 5000, [], {}, True, "2026-13-45", "<b>x</b>", "ক্ষ", "\u202e", [1, 2]]


def _get(node: Any, path: tuple) -> Any:
    for p in path:
        node = node[p]
    return node


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(BASE)
TEXT_PATHS = [p for p in PATHS if isinstance(_get(BASE, p), str) and not _get(BASE, p)[:1].isdigit()]
TEXTS = ["<img src=x onerror=alert(1)> & \"quoted\"", "কাশবন ডিস্ট্রিবিউশন", "ลดเวลาการกระทบยอดบัญชี",
         "RTL \u202eoverride\u202c text", "Supercalifragilistic" * 6, "A", "Line one\nline two", "😀 emoji"]
BRAND = load_kit(resolve_kit(None))
SPEC = load_study(ROOT / "sample_inputs" / "ledgerly_en.yaml")


def _mutate(doc: Any, path: tuple, how: str, odd: Any) -> Any:
    *parents, last = path
    node = doc
    for p in parents:
        node = node[p]
    if how == "drop":
        del node[last]
    elif how == "empty" and isinstance(node[last], (list, dict, str)):
        node[last] = type(node[last])()
    else:
        node[last] = copy.deepcopy(odd)  # shared objects would be written as YAML aliases, which are refused
    return doc


mutation = st.one_of(
    st.tuples(st.sampled_from(PATHS), st.sampled_from(["drop", "odd", "empty"]), st.sampled_from(ODD)),
    st.tuples(st.sampled_from(TEXT_PATHS), st.just("odd"), st.sampled_from(TEXTS)),  # valid shape, odd text
)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_specs_are_accepted_or_refused_with_located_problems(mutations, tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(BASE))  # a fresh deep copy
    for path, how, odd in mutations:
        try:
            doc = _mutate(doc, path, how, odd)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation removed or replaced the parent
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    try:
        analysis = load_study(spec)
    except InputError as err:
        event("refused")
        assert err.problems
        for p in err.problems:
            assert p.file.endswith("spec.yaml") and p.line >= 1 and p.column >= 1, p
            assert p.message, p
            if p.severity == "error" and p.code not in ("yaml", "size", "depth"):
                assert p.path or "'" in p.message, p  # names the field (a missing section: in the message)
        return
    event("accepted")  # odd but valid data must lay out and render in every format
    for layout, fmt in (("one_pager", "pdf"), ("case_study", "docx"), ("deck_insert", "pptx")):
        try:
            doc, _ = build_document(analysis, layout, BRAND)
        except InputError as err:  # e.g. a character no brand font draws: located, not a crash
            assert all(p.line >= 1 and p.message for p in err.problems)
            continue
        renderer_for(fmt).render(doc, BRAND, tmp_path / f"{layout}.{fmt}")


# --- The same promise for the other inputs users hand over: accounts CSV, review exports, layouts.

ACCOUNTS_CSV = (ROOT / "sample_inputs" / "accounts_ledgerly.csv").read_bytes().splitlines()[:6]
ODD_CELLS = [b"", b"NaN", b"-1", b"1e13", b"Caf\xe9", b"\x00", b"\x1b[2J", b"con", b"nul.txt", b"\xe2\x80\xae",
             b'"quoted, with comma"', b'"multi\nline"', b"x" * 2_000_000, b'"', b"acct-00001", b";;;", b"\xff\xfe"]
cell_edit = st.tuples(st.integers(1, 5), st.integers(0, 17), st.sampled_from(ODD_CELLS))


def _edit_csv(lines: list[bytes], edits: list[tuple[int, int, bytes]]) -> bytes:
    rows = [ln.split(b",") for ln in lines]
    for r, c, value in edits:
        row = rows[r % len(rows)]
        if c < len(row):
            row[c] = value
        elif c == 16:
            row.append(value)  # one column too many
        else:
            del row[-1]  # one too few
    return b"\n".join(b",".join(r) for r in rows) + b"\n"


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(cell_edit, min_size=1, max_size=6))
def test_mutated_accounts_give_accounts_or_row_errors(edits, tmp_path):
    from roi_in_a_box.deliver.accounts import load_accounts
    from roi_in_a_box.model.account import realised

    path = tmp_path / "accounts.csv"
    path.write_bytes(_edit_csv(ACCOUNTS_CSV, edits))
    try:
        good, bad = load_accounts(path, SPEC.spec)
    except InputError as err:  # a file-level problem (e.g. an unclosed quote): located
        event("refused")
        assert all(p.file == str(path) and p.line >= 1 and p.message for p in err.problems)
        return
    event(f"{len(good)} good")
    for row, account in good:
        realised(SPEC.spec, account)  # every accepted account computes
        assert "\x00" not in account.name and "\x1b" not in account.name
    for e in bad:
        assert e.number >= 1 and e.line >= 2 and e.reason


REVIEWS_DIR = ROOT / "sample_inputs" / "reviews"
EXPORT_CSV = (REVIEWS_DIR / "ledgerly_g2like.csv").read_bytes().splitlines()[:6]
EXPORT_JSONL = (REVIEWS_DIR / "ledgerly_peerpanel.jsonl").read_text("utf-8").splitlines()[:5]
json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=3), max_leaves=10)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(cell_edit, min_size=1, max_size=6),
       json_edits=st.lists(st.tuples(st.integers(0, 4), st.sampled_from(["reviewId", "permalink", "submittedAt",
                                                                         "rating", "answers", "badges", "reviewer"]),
                                     json_value), min_size=1, max_size=5))
def test_mutated_review_exports_give_reviews_or_row_errors(edits, json_edits, tmp_path):
    import json

    from roi_in_a_box.reviews.importer import import_export

    csv_path = tmp_path / "export.csv"
    csv_path.write_bytes(_edit_csv(EXPORT_CSV, [(r, c % 15, v) for r, c, v in edits]))
    records = [json.loads(ln) for ln in EXPORT_JSONL]
    for i, key, value in json_edits:
        records[i][key] = value
    jsonl_path = tmp_path / "export.jsonl"
    jsonl_path.write_text("\n".join(json.dumps(r, allow_nan=True) for r in records) + "\n", "utf-8")
    for export, mapping in ((csv_path, "g2like_csv.map.yaml"), (jsonl_path, "peerpanel_jsonl.map.yaml")):
        try:
            rep = import_export(export, REVIEWS_DIR / mapping, tmp_path / f"{export.suffix}.store.jsonl")
        except InputError as err:
            event("refused")
            assert all(p.line >= 1 and p.message for p in err.problems)
            continue
        assert rep.rows == rep.added + rep.updated + rep.unchanged + len(rep.duplicates) + len(rep.bad)
        assert all(e.number >= 1 and e.reason for e in rep.bad)


LAYOUT_BASE = yaml.safe_load((ROOT / "layouts" / "one_pager.yaml").read_text("utf-8"))
LAYOUT_PATHS = _paths(LAYOUT_BASE)
LAYOUT_TEXTS = ["{{ study.title ~ '!' }}", "{{ nope }}", "{% include 'x' %}", "{{ 'a' * 10**9 }}", "{{ x|center(10**9) }}",
                "{% for i in range(10**6) %}{% endfor %}", "{{ ''.__class__ }}", "{{ 1/0 }}", "{%", "ক্ষ ลด",
                "{{ study.title|replace('', study.title) }}", "\u202e\x00"]
layout_mutation = st.one_of(
    st.tuples(st.sampled_from(LAYOUT_PATHS), st.sampled_from(["drop", "odd", "empty"]), st.sampled_from(ODD)),
    st.tuples(st.sampled_from([p for p in LAYOUT_PATHS if isinstance(_get(LAYOUT_BASE, p), str)]), st.just("odd"),
              st.sampled_from(LAYOUT_TEXTS)),
)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(layout_mutation, min_size=1, max_size=3))
def test_mutated_layouts_render_or_are_refused_with_located_problems(mutations, tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(LAYOUT_BASE))
    for path, how, odd in mutations:
        try:
            doc = _mutate(doc, path, how, odd)
        except (KeyError, IndexError, TypeError):
            pass
    layout = tmp_path / "fuzzed.yaml"
    layout.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    try:
        tree, _ = build_document(SPEC, str(layout), BRAND)
    except InputError as err:
        event("refused")
        for p in err.problems:
            assert p.line >= 1 and p.column >= 1 and p.message, p
            assert p.file == str(layout) or p.code in ("missing-glyph", "does-not-fit"), p
        return
    event("accepted")
    renderer_for("pdf").render(tree, BRAND, tmp_path / "fuzzed.pdf")

