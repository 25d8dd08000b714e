"""Mutated specs (a key dropped, a value of the wrong type or size, a list emptied) are
either accepted, and then lay out and render in every format, or refused with located
problems: never a traceback, never a problem without a line or a field.

Mutations start from the complete English sample, so every section of the format is hit.
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
