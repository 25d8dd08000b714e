"""The font files that text inheriting a template's typeface will be drawn with, for measuring.

When the template's theme wins (``kit_overrides`` does not name fonts), title, body, footer
and date placeholder runs name no typeface of the kit: viewers draw them in the typeface
the template's styles or theme name.  Text is fitted in that face, so a theme with a wider
font gets more lines and, when a block no longer fits, continuation slides.

A face is looked up among the kit's families first (the same files the kit embeds), then
among the fonts fontconfig knows on this machine (the fonts LibreOffice draws with); only a
font of that very family (or its metric twin: Liberation Sans for Arial) counts, never
fontconfig's nearest substitute.  A face found
nowhere is measured in the kit's font and reported.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from roi_in_a_box.brand.fonts import FontFileError, check_truetype
from roi_in_a_box.brand.model import Brand, FontFamily, FontRole
from roi_in_a_box.caches import lru as registered_cache


# Families made with the same advance widths as a proprietary face (so text wraps the same):
# LibreOffice draws these in its place, and so may be measured for it.
METRIC_TWINS = {"arial": ("liberation sans", "arimo"), "helvetica": ("liberation sans", "arimo"),
                "times new roman": ("liberation serif", "tinos"), "courier new": ("liberation mono", "cousine"),
                "calibri": ("carlito",), "cambria": ("caladea",)}


@registered_cache("pptx.fontconfig_faces")
@lru_cache(maxsize=64)
def _fc_face(name: str, bold: bool) -> Path | None:
    """The file fontconfig gives for ``name`` (bold or regular), if it is of that family."""
    exe = shutil.which("fc-match")
    if exe is None or not name or any(c in name for c in ":,\\"):
        return None
    pattern = f"{name}:weight={'bold' if bold else 'regular'}:slant=roman"
    try:
        run = subprocess.run([exe, "-f", "%{file}\n%{family}\n", pattern], capture_output=True, text=True,
                             timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = run.stdout.splitlines()
    if run.returncode != 0 or len(lines) < 2:
        return None
    families = {f.strip().casefold() for f in lines[1].split(",")}
    if not families & {name.casefold(), *METRIC_TWINS.get(name.casefold(), ())}:
        return None  # a substitute (fontconfig's fallback), not the face the template names
    path = Path(lines[0])
    try:
        check_truetype(path)
    except FontFileError:
        return None  # the renderers measure glyf TrueType only
    return path


def installed_family(name: str) -> FontFamily | None:
    """``name`` as a family of files fontconfig has, or ``None``."""
    regular = _fc_face(name, False)
    if regular is None:
        return None
    return FontFamily(name=name, regular=regular, bold=_fc_face(name, True) or regular)


def measuring_brand(brand: Brand, faces: dict[str, str], notes: list[str]) -> Brand:
    """``brand`` with the Latin family of each role (``heading``/``body`` → typeface) replaced
    by the family viewers will draw; a typeface found nowhere keeps the kit's, with a note."""
    kit = {f.name.casefold(): f for role in (brand.heading, brand.body) for f in role.families()}
    roles: dict[str, FontRole] = {}
    for name, face in faces.items():
        role: FontRole = getattr(brand, name)
        latin = role.by_script["latin"]
        if not face or face.casefold() == latin.name.casefold():
            continue
        fam = kit.get(face.casefold()) or installed_family(face)
        if fam is None:
            notes.append(f"template font '{face}' ({name} text) is neither a kit family nor installed: "
                         f"text is fitted in the kit's '{latin.name}', and viewers that draw '{face}' wider "
                         "may overflow it")
            continue
        roles[name] = replace(role, by_script={**role.by_script, "latin": fam})
    if not roles:
        return brand
    return replace(brand, heading=roles.get("heading", brand.heading), body=roles.get("body", brand.body))
