"""Bengali and Thai documents speak their language: one term per concept in every UI text
table, footers and notes localised (no English UI string left in a bn or th document,
read back from the PDF, DOCX and PPTX), and Bengali money to three significant digits
with the sign and symbol where CLDR's Bengali pattern puts them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from babel import Locale, numbers

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.accounts import load_accounts
from roi_in_a_box.deliver.pipeline import Job, build, render_one, vendor_logo
from roi_in_a_box.layout.i18n import LABELS, TERMS
from roi_in_a_box.model.money import format_money
from roi_in_a_box.model.study import load_study
from tests.test_actuals import _docx_text, _pdf_text, _pptx_charts_and_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_inputs"
KITS = sorted(p.parent.name for p in (ROOT / "brand_kits").glob("*/brand.yaml"))
NBSP = "\u00a0"


def _ui_tables() -> dict[str, dict[str, str]]:
    """Every UI text table per language: the labels, the stages' calls to action and the
    bundled kits' footers and legal lines."""
    tables: dict[str, dict[str, str]] = {lang: {f"label {k}": v for k, v in table.items()}
                                         for lang, table in LABELS.items()}
    stages = yaml.safe_load((ROOT / "layouts" / "stages.yaml").read_text("utf-8"))
    for stage, recipe in stages.items():
        for lang, text in recipe["call_to_action"].items():
            tables[lang][f"stages.yaml {stage}"] = text
    for kit in KITS:
        brand = load_kit(resolve_kit(kit))
        for lang in tables:
            tables[lang][f"{kit} footer"] = brand.footer_for(lang)
            tables[lang][f"{kit} legal"] = brand.legal_for(lang)
    return tables


@pytest.mark.parametrize("lang", sorted(TERMS))
def test_every_ui_text_table_uses_one_term_per_concept(lang: str) -> None:
    texts = _ui_tables()[lang]
    for concept, (term, others) in TERMS[lang].items():
        fold = str.casefold if lang == "en" else str
        wrong = [f"{where}: {other!r} in {text!r}" for where, text in texts.items() for other in others
                 if (re.search(rf"\b{re.escape(other)}\b", text, re.IGNORECASE) if lang == "en" else other in text)]
        assert wrong == [], f"{lang} {concept}: the labels say {term!r}"
        assert any(fold(term) in fold(text) for text in texts.values()), f"{lang} {concept}: {term!r} is never used"


def test_every_language_labels_every_key() -> None:
    assert set(LABELS["bn"]) == set(LABELS["en"]) == set(LABELS["th"])
    for lang in ("bn", "th"):
        same = [k for k, v in LABELS["en"].items()
                if LABELS[lang][k] == v and re.search("[a-z]{3}", re.sub(r"\{\w+\}", "", v))]
        assert same == [], f"untranslated {lang} labels"


@pytest.mark.parametrize("kit", KITS)
def test_bundled_kits_give_footer_and_legal_text_per_language(kit: str) -> None:
    brand = load_kit(resolve_kit(kit))
    for lang, script in (("bn", "[\u0980-\u09ff]"), ("th", "[\u0e00-\u0e7f]")):
        assert re.search(script, brand.footer_for(lang)) and re.search(script, brand.legal_for(lang))
        assert brand.footer_for(f"{lang}-XX") == brand.footer_for(lang)
    assert brand.footer_for("en") == brand.footer and not re.search("[\u0980-\u0e7f]", brand.footer)
    assert brand.footer_for("de") == brand.footer  # a language the kit does not name: its default


def test_a_kit_footer_may_stay_one_text_for_every_language(tmp_path: Path) -> None:
    import shutil

    kit = tmp_path / "kit"
    shutil.copytree(resolve_kit(None), kit)
    text = (kit / "brand.yaml").read_text("utf-8")
    start = text.index("footer:")
    end = text.index("\nlegal:")
    (kit / "brand.yaml").write_text(text[:start] + 'footer: "One line everywhere"' + text[end:], "utf-8")
    brand = load_kit(kit)
    assert brand.footer_for("bn") == brand.footer_for("th") == "One line everywhere"


# --------------------------------------------------------------------------- documents read back

ACRONYMS = {"ROI", "NPV", "PV", "QBR", "DRAFT"}
# Forrester-style row references (A, At, Atr, B1 …) and CLDR's Thai short number suffixes
# ("฿6.2M") are not words; a Latin token touching a digit is part of a number or reference.
REFERENCE = re.compile(r"^[A-Z](?:t|tr)?$")


def _spec_strings(x: object) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return [s for v in x.values() for s in _spec_strings(v)]
    if isinstance(x, list):
        return [s for v in x for s in _spec_strings(v)]
    return []


def _latin_words(text: str) -> set[str]:
    """Latin words not touching a digit (so "p10", "A1" and "6.2M" are not words)."""
    return {m.group() for m in re.finditer(r"(?<![\w.])[A-Za-z][A-Za-z'’-]*(?![\w])", text)
            if not re.search(r"\d", text[max(0, m.start() - 1):m.end() + 1])}


def _text_of(path: Path) -> str:
    if path.suffix == ".pdf":
        return _pdf_text(path)
    if path.suffix == ".pptx":
        return _pptx_charts_and_text(path)[1]
    from docx import Document

    paragraphs, rows = _docx_text(path)
    furniture = [p.text for s in Document(str(path)).sections for part in (s.header, s.footer) for p in part.paragraphs]
    return "\n".join([paragraphs, *(" ".join(r) for r in rows), *furniture])


@pytest.fixture(scope="module")
def localised(tmp_path_factory) -> dict[str, list[Path]]:  # type: ignore[no-untyped-def]
    """Every stage's documents of the Bengali and Thai samples, and each account packet
    (QBR, renewal packet and summary) of an account with quarterly actuals and one without."""
    out = tmp_path_factory.mktemp("localised")
    kit = load_kit(resolve_kit(None))
    files: dict[str, list[Path]] = {}
    for sample, accounts in (("ghatbox_bn", "ghatbox_bn.yaml"), ("shiftsabai_th", "shiftsabai_th.yaml")):
        a = load_study(SAMPLES / f"{sample}.yaml")
        rep = build(a, kit, out)
        paths = [out / a.spec.study.id / o.path for o in rep.outputs]
        good, _ = load_accounts(SAMPLES / "accounts" / accounts, a.spec)
        for _, acc in good:
            for stage, layout, fmt in (("service", "qbr_slides", "pptx"), ("renewal", "renewal_packet", "pdf"),
                                       ("renewal", "renewal_summary", "docx")):
                path = out / "accounts" / acc.id / f"{layout}.{fmt}"
                path.parent.mkdir(parents=True, exist_ok=True)
                render_one(a, Job(stage, layout, fmt, path), kit, account=acc, logo=vendor_logo(a), check=False)
                paths.append(path)
        files[sample] = paths
    return files


@pytest.mark.parametrize("sample", ["ghatbox_bn", "shiftsabai_th"])
def test_bengali_and_thai_documents_leave_no_ui_string_in_english(localised, sample: str) -> None:  # type: ignore[no-untyped-def]
    """Scan the text of every bn/th output: no English label (as the engine would print it)
    and no Latin word that is not a name or quote from the spec, the kit's name, an account
    name or an acronym."""
    spec_text = (SAMPLES / f"{sample}.yaml").read_text("utf-8")
    allowed = set().union(*(_latin_words(s) for s in _spec_strings(yaml.safe_load(spec_text))))
    allowed |= _latin_words(load_kit(resolve_kit(None)).name) | ACRONYMS
    english = {v for v in LABELS["en"].values() if len(v.split()) >= 2 and "{" not in v}
    files = localised[sample]
    assert len(files) >= 10 and {p.suffix for p in files} == {".pdf", ".docx", ".pptx"}
    left: dict[str, set[str]] = {}
    for path in files:
        text = _text_of(path)
        assert len(text) > 200, path
        for phrase in english:
            if phrase in text:
                left.setdefault(f"label {phrase!r}", set()).add(path.name)
        for word in _latin_words(text) - allowed:
            if not REFERENCE.match(word):
                left.setdefault(word, set()).add(path.name)
    assert left == {}


@pytest.mark.parametrize("sample, footer", [
    ("ghatbox_bn", "নর্থবিম অ্যানালিস্ট পার্টনার্স · স্বাধীন, বিশ্লেষক-যাচাইকৃত ROI গবেষণা"),
    ("shiftsabai_th", "นอร์ธบีม อนาลิสต์ พาร์ทเนอร์ส · งานวิจัย ROI อิสระที่นักวิเคราะห์ตรวจสอบแล้ว")])
def test_the_localised_footer_and_legal_line_are_what_the_files_print(localised, sample: str, footer: str) -> None:  # type: ignore[no-untyped-def]
    kit = load_kit(resolve_kit(None))
    lang = sample.rsplit("_", 1)[1]
    assert kit.footer_for(lang) == footer
    pdf = next(p for p in localised[sample] if p.name == "one_pager.pdf")
    assert footer in _pdf_text(pdf)
    docx = next(p for p in localised[sample] if p.name == "case_study.docx")
    assert footer in _text_of(docx)
    assert kit.legal_for(lang) in _text_of(docx)  # the methodology prints the kit's legal line
    pptx = next(p for p in localised[sample] if p.name == "deck_insert.pptx")
    assert footer in _text_of(pptx)
    assert "Independent, analyst-verified" not in _text_of(pdf) + _text_of(docx) + _text_of(pptx)


# --------------------------------------------------------------------------- Bengali figures


def _cldr_bn(number: str, negative: bool) -> str:
    """What CLDR's standard Bengali currency pattern makes of a number text (BDT)."""
    loc = Locale.parse("bn")
    pattern = numbers.parse_pattern(loc.currency_formats["standard"].pattern)
    i = 1 if negative else 0
    return (pattern.prefix[i] + number + pattern.suffix[i]).replace("¤", numbers.get_currency_symbol("BDT", locale=loc))


@pytest.mark.parametrize("amount, number", [
    (Decimal(10_300_000), f"1.03{NBSP}কোটি"), (Decimal(-10_300_000), f"1.03{NBSP}কোটি"),
    (Decimal(12_345_678), f"1.23{NBSP}কোটি"), (Decimal(987_654_321), f"98.8{NBSP}কোটি"),
    (Decimal(1_234_567_890), f"123{NBSP}কোটি"), (Decimal(-513_944), f"5.14{NBSP}লাখ"),
    (Decimal(99_960), f"1{NBSP}লাখ"), (Decimal(99_949), f"99.9{NBSP}হাজার"), (Decimal(9_996_000), f"1{NBSP}কোটি"),
    (Decimal(1_500), f"1.5{NBSP}হাজার"), (Decimal(999), "999"), (Decimal("-0.4"), "0"),
])
def test_bengali_money_has_three_significant_digits_and_cldrs_sign_placement(amount: Decimal, number: str) -> None:
    negative = amount < 0 and number != "0"
    assert format_money(amount, "BDT", "bn", compact=True) == _cldr_bn(number, negative)
    digits = re.sub(r"\D", "", number)
    assert len(digits.lstrip("0")) <= 3  # never more than three significant digits
    native = format_money(amount, "BDT", "bn", compact=True, native_digits=True)
    assert not re.search("[0-9]", native) and not native.startswith("৳") and "কো৳" not in native
    if negative:
        assert native.startswith("-") and native.endswith("৳")  # the sign first, the symbol after the word


def _fixed_phrases(template: str) -> list[str]:
    """The fixed words of an English label between its placeholders, two words or more."""
    return [part.strip(" ,;:().") for part in re.split(r"\{[^}]*\}", template)
            if len(part.strip(" ,;:().").split()) >= 2]


@pytest.mark.parametrize("sample", ["ghatbox_bn", "shiftsabai_th"])
def test_speaker_notes_are_in_the_decks_language(localised, sample: str) -> None:  # type: ignore[no-untyped-def]
    """Every speaker-notes string of every bn/th deck (pre-sale insert, QBRs with and
    without actuals) comes from the deck's language: no English template phrase, and no
    Latin word but ids, names, URLs and quotes from the spec and acronyms."""
    from pptx import Presentation

    spec_text = (SAMPLES / f"{sample}.yaml").read_text("utf-8")
    allowed = set().union(*(_latin_words(s) for s in _spec_strings(yaml.safe_load(spec_text))))
    allowed |= _latin_words(load_kit(resolve_kit(None)).name) | ACRONYMS
    allowed |= _latin_words((SAMPLES / "accounts" / f"{sample}.yaml").read_text("utf-8"))  # account ids, names
    phrases = {p for v in LABELS["en"].values() for p in _fixed_phrases(v)}
    assert {"engine ROI model", "review count", "published", "evidence as of"} & phrases  # the test can see them
    decks = [p for p in localised[sample] if p.suffix == ".pptx"]
    assert len(decks) >= 3
    seen = 0
    for path in decks:
        for slide in Presentation(str(path)).slides:
            if not slide.has_notes_slide:
                continue
            text = slide.notes_slide.notes_text_frame.text
            seen += 1
            assert not [p for p in phrases if p in text], (path.name, [p for p in phrases if p in text])
            left = {w for w in _latin_words(text) - allowed if not REFERENCE.match(w)}
            assert not left, (path.name, left, text[:300])
    assert seen >= 10
