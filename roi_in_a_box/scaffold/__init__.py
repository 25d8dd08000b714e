"""``roi-in-a-box init DIR``: a study folder a new analyst can start from.

It holds a commented spec that passes ``check``, the spec's JSON Schema for editor
completion, and a copy of a bundled brand kit to restyle (``brand_kits/<kit>/``, found by
name from the study folder before the bundled kits).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from importlib.resources import files
from pathlib import Path

from ..bundled import KITS_DIR
from ..spec.errors import InputError, Problem


def init_study(folder: Path, *, kit: str = "northbeam", today: dt.date | None = None) -> list[Path]:
    """Write the study folder; refuse to overwrite anything already there."""
    study_id = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")[:40] or "study"
    source = KITS_DIR / kit
    if not (source / "brand.yaml").is_file():
        names = sorted(p.name for p in KITS_DIR.iterdir() if (p / "brand.yaml").is_file())
        raise InputError([Problem(kit, 1, 1, "--kit", "no such bundled brand kit", found=repr(kit),
                                  expected="one of " + ", ".join(names), code="usage")])
    spec, schema, kit_copy = folder / "study.yaml", folder / "study.schema.json", folder / "brand_kits" / kit
    taken = [p for p in (spec, schema, kit_copy) if p.exists()]
    if taken:
        raise InputError([Problem(str(taken[0]), 1, 1, "DIR", "already exists; init never overwrites",
                                  expected="a new or empty folder", code="usage")])
    from ..spec.schema import json_schema

    folder.mkdir(parents=True, exist_ok=True)
    date = (today or dt.date.today()).isoformat()
    template = files(__package__).joinpath("study.yaml").read_text("utf-8")
    spec.write_text(template.format(study_id=study_id, today=date, kit=kit), "utf-8")
    schema.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    shutil.copytree(source, kit_copy, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return [spec, schema, kit_copy]
