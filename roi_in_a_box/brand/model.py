"""The resolved brand kit that renderers receive (paths checked, colours parsed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SCRIPTS = ("latin", "bengali", "thai")


@dataclass(frozen=True)
class Colors:
    """Brand colours as ``#RRGGBB`` strings."""

    primary: str
    secondary: str
    accent: str
    text: str
    muted: str
    background: str

    def rgb(self, name: str) -> tuple[int, int, int]:
        h = getattr(self, name).lstrip("#")
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@dataclass(frozen=True)
class FontFamily:
    """One font family: static glyf TrueType files for each style it has."""

    name: str  # family name as Word/PowerPoint/LibreOffice know it, e.g. "Hind Siliguri"
    regular: Path
    bold: Path
    italic: Path | None = None
    bold_italic: Path | None = None
    # For a family without an italic face: the family that sets its italic text (quotes),
    # in that family's italic if it has one, else upright.  None: upright in this family.
    italic_family: FontFamily | None = None

    def for_italic(self) -> FontFamily:
        """The family that draws this family's italic text: itself if it has an italic face
        (or no alternative is named), else the kit's ``italic_family``."""
        return self if self.italic is not None or self.italic_family is None else self.italic_family


@dataclass(frozen=True)
class FontRole:
    """The families for one role (heading or body): a primary per script plus fallbacks.

    ``by_script['latin']`` is used for Latin, digits and punctuation; the other entries
    for their script.  ``fallbacks`` are tried, in order, for characters none of the
    script fonts has.
    """

    by_script: dict[str, FontFamily]
    fallbacks: tuple[FontFamily, ...] = ()

    def families(self) -> tuple[FontFamily, ...]:
        seen: dict[str, FontFamily] = {}
        for fam in (*self.by_script.values(), *self.fallbacks):
            seen.setdefault(fam.name, fam)
        for fam in list(seen.values()):
            seen.setdefault(fam.for_italic().name, fam.for_italic())
        return tuple(seen.values())


@dataclass(frozen=True)
class SlideRules:
    """brand.yaml ``slides``: which slide master of the template to use, and the smallest
    text size on a slide."""

    master: str | None = None
    min_text_pt: float = 10.0


@dataclass(frozen=True)
class Brand:
    name: str
    root: Path
    colors: Colors
    heading: FontRole
    body: FontRole
    logo: Path | None = None
    footer: str = ""  # the default (English) text; ``footer_for`` picks the document's language
    legal: str = ""
    template_pptx: Path | None = None
    reference_docx: Path | None = None
    # with company templates their theme wins, except for what is listed here ("fonts", "colors")
    kit_overrides: tuple[str, ...] = ()
    slides: SlideRules = field(default_factory=SlideRules)
    digest: str = ""  # content hash of every file in the kit (for rebuild decisions)
    warnings: tuple[str, ...] = field(default_factory=tuple)
    footers: tuple[tuple[str, str], ...] = ()  # (primary language subtag, footer), when the kit gives them
    legals: tuple[tuple[str, str], ...] = ()

    def footer_for(self, language: str) -> str:
        """The footer in a document's language (BCP 47), else the default."""
        return dict(self.footers).get(language.split("-")[0].lower(), self.footer)

    def legal_for(self, language: str) -> str:
        return dict(self.legals).get(language.split("-")[0].lower(), self.legal)

    def template_wins(self, what: str) -> bool:
        """Whether a company template's theme sets ``what`` ("fonts" or "colors")."""
        return what not in self.kit_overrides
