"""One record per document language: everything the engine knows about it, in one place.

Scripts, OOXML tags, digits, sentence ends and quotation marks are read from here by the
renderers, the number formatter, the quote cutter and the review tools; adding a language
is one record here, its label table in ``layout/i18n.py`` and its fonts in the brand kits.
Anything not listed is written as English in Latin script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .scripts import BENGALI, LATIN, THAI

ASCII_DIGITS = "0123456789"


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47 primary language subtag
    script: str  # the script of its text (``text.scripts`` names)
    ooxml_tag: str  # w:lang / a:rPr@lang for runs in that script
    digits: str  # its own digits 0-9 (ASCII for Latin-script languages)
    numbering_system: str  # CLDR's name for those digits ("latn", "beng", "thai")
    sentence_end: str  # regex: the whitespace that ends a sentence in this language
    quotes: tuple[str, str] = ("\u201c", "\u201d")  # the marks around a quotation

    def quote(self, text: str) -> str:
        """``text`` between this language's quotation marks."""
        return f"{self.quotes[0]}{text}{self.quotes[1]}"

    def to_native(self, text: str) -> str:
        """``text`` with ASCII digits written in this language's digits."""
        return text.translate(str.maketrans(ASCII_DIGITS, self.digits))


ENGLISH = Language("en", LATIN, "en-US", ASCII_DIGITS, "latn", r"(?<=[.!?])\s+")
BENGALI_LANG = Language("bn", BENGALI, "bn-BD", "০১২৩৪৫৬৭৮৯", "beng", r"(?<=[।॥])\s+")  # the danda
# Thai has no full stop: a space between Thai letters separates sentences.
THAI_LANG = Language("th", THAI, "th-TH", "๐๑๒๓๔๕๖๗๘๙", "thai", r"(?<=[\u0E00-\u0E7F])\s+(?=[\u0E00-\u0E7F])")

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (ENGLISH, BENGALI_LANG, THAI_LANG)}
BY_SCRIPT: dict[str, Language] = {lang.script: lang for lang in LANGUAGES.values()}
# numbering system → its digits, for the digit systems CLDR may name for a locale
DIGITS: dict[str, str] = {lang.numbering_system: lang.digits for lang in LANGUAGES.values() if lang.digits != ASCII_DIGITS}
# every language's sentence ends (quotes in any language are cut at any of them)
SENTENCE_END = re.compile("|".join(lang.sentence_end for lang in LANGUAGES.values()))
# native digits → ASCII, for comparing text across digit systems
TO_ASCII = str.maketrans("".join(DIGITS.values()), ASCII_DIGITS * len(DIGITS))


@lru_cache(maxsize=64)
def language(tag: str) -> Language:
    """The record for a BCP 47 tag, by its primary subtag; English for anything unknown."""
    return LANGUAGES.get(tag.split("-")[0].lower(), ENGLISH)


def known(tag: str) -> bool:
    return tag.split("-")[0].lower() in LANGUAGES


def script_tag(script: str) -> str:
    """The OOXML language tag for runs in ``script`` (en-US for Latin and anything unknown)."""
    lang = BY_SCRIPT.get(script)
    return lang.ooxml_tag if lang else ENGLISH.ooxml_tag


def complex_scripts() -> tuple[str, ...]:
    """Scripts written with the complex-script (``cs``) font slot."""
    return tuple(lang.script for lang in LANGUAGES.values() if lang.script != LATIN)
