"""Load and validate a brand kit folder (``brand_kits/<name>/brand.yaml``).

Everything a kit names is resolved and checked here, once, so renderers receive a
``Brand`` they can trust: paths stay inside the kit, fonts are static TrueType,
images are safe PNG/JPEG, colours parse and text meets WCAG AA contrast.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..bundled import KITS_DIR
from ..spec.errors import InputError, Problem
from ..spec.schema import Strict
from ..spec.validate import parse_model
from ..spec.yaml_source import Located, load_file
from .fonts import FontFileError, check_truetype, fontpkg_family
from .images import MAX_BYTES as MAX_IMAGE_BYTES
from .images import ImageError, check_image, clean_image
from .kit_files import MAX_FONT_BYTES, MAX_TEMPLATE_BYTES, MAX_YAML_BYTES, KitFileError, contained_file, files_digest
from .model import SCRIPTS, Brand, Colors, FontFamily, FontRole, PageHeader, SlideRules

Hex = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$"), Field(description="#RRGGBB")]
FileName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
MIN_CONTRAST = 4.5
DEFAULT_KIT = "northbeam"


class ColorsSpec(Strict):
    primary: Hex
    secondary: Hex
    accent: Hex
    text: Hex
    muted: Hex
    background: Hex


class FamilySpec(Strict):
    family: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    source: Annotated[str, StringConstraints(pattern=r"^(fontpkg:[a-z0-9-]+|kit)$")] = Field(
        description="'fontpkg:<name>' for an installed fontpkg-<name> package, or 'kit' for files in the kit's fonts/ folder")
    regular: FileName
    bold: FileName
    italic: FileName | None = None
    bold_italic: FileName | None = None
    italic_family: str | None = Field(None, description=(
        "For a family without an italic face: the key of another family that sets its italic text "
        "(quotes in Word and PowerPoint, italic runs), in that family's italic if it has one, else "
        "upright. Without it such text is set upright in this family, never slanted."))


class RoleSpec(Strict):
    latin: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    bengali: str | None = None
    thai: str | None = None
    fallbacks: list[str] = Field(default_factory=list, max_length=6)


class PageHeaderSpec(Strict):
    """The PDF page header; each field left out is taken from the company templates."""

    show: bool = True
    logo_position: Literal["left", "right"] | None = None
    text: Annotated[str, StringConstraints(max_length=120)] | None = None
    rule_color: Hex | None = None
    band_color: Hex | None = None


KitLanguage = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]  # a primary language subtag: en, bn, th


def _per_language(value: str | dict[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The default text (English, else the first given) and the text per language."""
    if isinstance(value, str):
        return value, ()
    return value.get("en") or next(iter(value.values()), ""), tuple(sorted(value.items()))


class SlidesSpec(Strict):
    """How decks use the company template (``template_pptx``)."""

    master: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = Field(
        None, description="name of the slide master to use; default the template's first")
    min_text_pt: float = Field(10.0, ge=6.0, le=24.0, description="smallest text size on a slide, in points")


class BrandSpec(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    colors: ColorsSpec
    families: dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,40}$")], FamilySpec]
    fonts: dict[Literal["heading", "body"], RoleSpec]
    logo: FileName | None = None
    footer: Annotated[str, StringConstraints(max_length=200)] | dict[KitLanguage, Annotated[
        str, StringConstraints(max_length=200)]] = Field(
        "", description="One line for every language, or one per language ({en: ..., bn: ..., th: ...})")
    legal: Annotated[str, StringConstraints(max_length=400)] | dict[KitLanguage, Annotated[
        str, StringConstraints(max_length=400)]] = Field(
        "", description="One text for every language, or one per language ({en: ..., bn: ..., th: ...})")
    template_pptx: FileName | None = None
    reference_docx: FileName | None = None
    kit_overrides: list[Literal["fonts", "colors"]] = Field(
        default_factory=list, max_length=2,
        description="with company templates: what the kit's own fonts/colors set instead of the template's theme")
    slides: SlidesSpec = Field(default_factory=SlidesSpec)
    page_header: PageHeaderSpec | None = None


def relative_luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB`` (0 black … 1 white)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two ``#RRGGBB`` colours."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Foreground/background pairs the renderers actually use for text.
CONTRAST_PAIRS = (("text", "background"), ("muted", "background"), ("primary", "background"))


def _family(root: Path, located: Located, key: str, fam: FamilySpec) -> FontFamily | Problem:
    try:
        if fam.source == "kit":
            def res(name: str | None) -> Path | None:
                if name is None:
                    return None
                try:
                    path = contained_file(root, f"fonts/{name}", MAX_FONT_BYTES)
                except KitFileError as exc:
                    raise FontFileError(f"fonts/{name}: {exc}") from None
                check_truetype(path)
                return path

            reg, bold = res(fam.regular), res(fam.bold)
            assert reg and bold
            return FontFamily(fam.family, reg, bold, res(fam.italic), res(fam.bold_italic))
        package = "fontpkg_" + fam.source.split(":", 1)[1].replace("-", "_")
        return fontpkg_family(package, fam.family, fam.regular, fam.bold, fam.italic, fam.bold_italic)
    except (FontFileError, ImageError) as exc:
        return located.problem(("families", key), f"font family '{key}' cannot be used: {exc}",
                               expected="static glyf TrueType files (.ttf) from the named source", code="font")


def load_kit(root: Path) -> Brand:
    """Load ``root/brand.yaml``; raise ``InputError`` listing every problem."""
    return _load_kit(root.resolve())


def forget_kits() -> None:
    """Drop loaded kits, so the next ``load_kit`` reads their files again (watch mode)."""
    _load_kit.cache_clear()


@lru_cache(maxsize=16)
def _load_kit(root: Path) -> Brand:
    try:
        brand_yaml = contained_file(root, "brand.yaml", MAX_YAML_BYTES)
    except KitFileError as exc:
        raise InputError([Problem(str(root / "brand.yaml"), 1, 1, "", f"brand kit file cannot be used: {exc}",
                                  expected="a brand.yaml file inside the kit folder", code="file")]) from None
    located = load_file(brand_yaml, display=str(root / "brand.yaml"))
    spec = parse_model(located, BrandSpec)
    problems: list[Problem] = []
    families: dict[str, FontFamily] = {}
    for key, fam in spec.families.items():
        got = _family(root, located, key, fam)
        if isinstance(got, Problem):
            problems.append(got)
        else:
            families[key] = got
    for key, fam in spec.families.items():
        ref = fam.italic_family
        if ref is None or key not in families:
            continue
        where = ("families", key, "italic_family")
        if ref not in spec.families or ref == key:
            problems.append(located.problem(where, "unknown font family", found=repr(ref),
                                            expected="the key of another family: " + ", ".join(k for k in spec.families
                                                                                               if k != key),
                                            code="dangling-ref"))
        elif fam.italic is not None:
            problems.append(located.problem(where, f"font family '{key}' has an italic face of its own",
                                            found=repr(ref), expected="italic_family only on a family without italic",
                                            code="italic-family"))
        elif spec.families[ref].italic_family is not None:
            problems.append(located.problem(where, f"font family '{ref}' names an italic_family itself",
                                            found=repr(ref), expected="a family without italic_family", code="italic-family"))
        elif ref in families:
            families[key] = dataclasses.replace(families[key], italic_family=families[ref])

    roles: dict[str, FontRole] = {}
    for role_name in ("heading", "body"):
        role = spec.fonts.get(role_name)
        if role is None:
            problems.append(located.problem(("fonts",), f"missing font role '{role_name}'",
                                            expected="heading and body", code="missing"))
            continue
        by_script: dict[str, FontFamily] = {}
        for script in SCRIPTS:
            ref = getattr(role, script)
            if ref is None:
                continue
            if ref not in spec.families:
                problems.append(located.problem(("fonts", role_name, script), "unknown font family",
                                                found=repr(ref), expected="one of " + ", ".join(spec.families),
                                                code="dangling-ref"))
            elif ref in families:
                by_script[script] = families[ref]
        fallbacks = []
        for i, ref in enumerate(role.fallbacks):
            if ref not in spec.families:
                problems.append(located.problem(("fonts", role_name, "fallbacks", i), "unknown font family",
                                                found=repr(ref), expected="one of " + ", ".join(spec.families),
                                                code="dangling-ref"))
            elif ref in families:
                fallbacks.append(families[ref])
        roles[role_name] = FontRole(by_script, tuple(fallbacks))

    for fg, bg in CONTRAST_PAIRS:
        a, b = getattr(spec.colors, fg), getattr(spec.colors, bg)
        ratio = contrast_ratio(a, b)
        if ratio < MIN_CONTRAST:
            problems.append(located.problem(("colors", fg),
                                            f"contrast of {fg} {a} on {bg} {b} is {ratio:.2f}:1, under WCAG AA",
                                            found=f"{ratio:.2f}:1", expected=f"at least {MIN_CONTRAST}:1",
                                            code="contrast"))

    used = [brand_yaml, *(p for fam in families.values() if fam.regular.is_relative_to(root)
                          for p in (fam.regular, fam.bold, fam.italic, fam.bold_italic) if p is not None)]

    def file(field: str, image: bool) -> Path | None:
        name = getattr(spec, field)
        if name is None:
            return None
        try:
            path = contained_file(root, name, MAX_IMAGE_BYTES if image else MAX_TEMPLATE_BYTES)
            used.append(path)
            if image:
                check_image(path)
                return clean_image(path)
            return path
        except (ImageError, KitFileError, OSError) as exc:
            problems.append(located.problem((field,), f"{field} '{name}' cannot be used: {exc}",
                                            expected="a PNG or JPEG inside the kit folder" if image
                                            else "a file inside the kit folder", code="file"))
            return None

    logo = file("logo", image=True)
    template = file("template_pptx", image=False)
    reference = file("reference_docx", image=False)
    for field, path, kind in (("template_pptx", template, "pptx"), ("reference_docx", reference, "docx")):
        if path is not None:
            from .template_prep import problems as template_problems

            for reason in template_problems(path, kind):
                problems.append(located.problem((field,), f"{field} rejected: {reason}",
                                                expected=f"a plain .{kind} without macros or external links",
                                                code="template"))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(problems)
    footer, footers = _per_language(spec.footer)
    legal, legals = _per_language(spec.legal)
    return Brand(name=spec.name, root=root, colors=Colors(**spec.colors.model_dump()),
                 heading=roles["heading"], body=roles["body"], logo=logo, footer=footer, footers=footers,
                 legal=legal, legals=legals, template_pptx=template, reference_docx=reference,
                 kit_overrides=tuple(dict.fromkeys(spec.kit_overrides)),
                 slides=SlideRules(**spec.slides.model_dump()),
                 page_header=PageHeader(**spec.page_header.model_dump()) if spec.page_header else None,
                 digest=files_digest(root, used))


def resolve_kit(name_or_path: str | None, study_dir: Path | None = None) -> Path:
    """A kit given by folder path, or by name: the study folder's own ``brand_kits/<name>``
    first (what ``roi-in-a-box init`` sets up), then the bundled kits."""
    if not name_or_path:
        return KITS_DIR / DEFAULT_KIT
    candidate = Path(name_or_path)
    if candidate.is_dir():
        return candidate
    homes = ([study_dir / "brand_kits"] if study_dir is not None else []) + [KITS_DIR]
    for home in homes:
        if (home / name_or_path / "brand.yaml").is_file():
            return home / name_or_path
    available = sorted({p.name for home in homes if home.is_dir() for p in home.iterdir() if (p / "brand.yaml").is_file()})
    raise InputError([Problem(name_or_path, 1, 1, "--brand", "no such brand kit", found=repr(name_or_path),
                              expected="a folder with brand.yaml or one of: " + ", ".join(available), code="usage")])
