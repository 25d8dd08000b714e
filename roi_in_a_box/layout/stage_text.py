"""Stage-specific words from ``layouts/stages.yaml``: each journey stage's call to action.

The recipes file is engine configuration (not spec data), so its texts are trusted
templates: they may name ``study``, ``vendor`` and ``account`` like layout text fields.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..bundled import LAYOUTS_DIR
from ..spec.yaml_source import load_file


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> dict[str, dict[str, str]]:
    data = load_file(path).data
    out: dict[str, dict[str, str]] = {}
    for stage, recipe in (data or {}).items():
        cta = recipe.get("call_to_action") if isinstance(recipe, dict) else None
        if isinstance(cta, dict):
            out[stage] = {str(k): str(v) for k, v in cta.items()}
    return out


def stage_call_to_action(stage: str, lang: str) -> str:
    """The stage's call to action in ``lang`` (by primary subtag), English otherwise."""
    path = LAYOUTS_DIR / "stages.yaml"
    texts = _load(path, path.stat().st_mtime_ns).get(stage, {})
    return texts.get(lang.split("-")[0].lower()) or texts.get("en", "")
