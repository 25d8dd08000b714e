"""Previews, the HTML gallery (checked in a real headless Chromium) and watch mode (issue 6)."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import threading
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import typer
from PIL import Image
from typer.testing import CliRunner

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.batch import run_batch
from roi_in_a_box.deliver.make_accounts import write_accounts
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.model.study import load_study
from roi_in_a_box.preview import gallery, thumbnails
from roi_in_a_box.preview.cli import preview_after_build, register
from roi_in_a_box.preview.gallery import ErrorBanner, write_gallery
from roi_in_a_box.preview.thumbnails import NEEDS_LIBREOFFICE, THUMB_BOX, make_previews
from tests import browser_helpers

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"
MINIMAL = ROOT / "sample_inputs" / "minimal_en.yaml"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
HAS_SOFFICE = thumbnails.soffice() is not None


def _pdf_pages(path: Path) -> int:
    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def kit():  # type: ignore[no-untyped-def]
    return load_kit(resolve_kit(None))


@pytest.fixture(scope="module")
def site(tmp_path_factory, kit):  # type: ignore[no-untyped-def]
    """A real output folder: every stage of the English study, plus a renewal batch with one bad row."""
    out = tmp_path_factory.mktemp("site") / "output"
    analysis = load_study(EN)
    report = build(analysis, kit, out)
    accounts = out.parent / "accounts.csv"
    write_accounts(analysis.spec, accounts, 4)
    rows = list(csv.reader(accounts.open(encoding="utf-8")))
    rows[2][rows[0].index("segment")] = "<b>galactic</b>"  # data row 2: bad, and hostile
    with accounts.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    batch = run_batch(analysis, kit, accounts, out, stage="renewal", formats=("pdf",), jobs=1)
    assert batch.built == 3 and [f.number for f in batch.failed] == [2]
    index = write_gallery(out)
    return {"out": out, "report": report, "index": index, "study": out / analysis.spec.study.id}


# ---------------------------------------------------------------- thumbnails


def test_pdf_thumbnails_one_per_page_and_cached_by_hash(site) -> None:  # type: ignore[no-untyped-def]
    study = site["study"]
    pdfs = [study / r.path for r in site["report"].outputs if r.format == "pdf"]
    assert len(pdfs) == 3
    cache = study / ".preview"
    previews = make_previews(pdfs, cache)
    for pdf in pdfs:
        pv = previews[pdf]
        assert pv.note is None
        assert len(pv.pages) == pv.page_count == _pdf_pages(pdf) >= 1
        entry = cache / _sha(pdf)
        assert sorted(p.name for p in entry.glob("p*.png") if not p.name.endswith("-full.png")) == \
            [f"p{n:03d}.png" for n in range(1, pv.page_count + 1)]
        for page in pv.pages:
            with Image.open(page.thumb) as thumb, Image.open(page.full) as full:
                assert max(thumb.size) == THUMB_BOX and full.width > 3 * thumb.width
                assert thumb.getextrema() != ((255, 255), (255, 255), (255, 255))  # not blank
    # Unchanged files are not rendered again.
    stamps = {p: p.stat().st_mtime_ns for p in cache.rglob("*.png")}
    again = make_previews(pdfs, cache)
    assert all(pv.cached for pv in again.values())
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.png")} == stamps
    # Previews stay out of the deliverables: nothing but the outputs, manifests and batch state outside .preview.
    visible = {p.suffix for p in site["out"].rglob("*") if p.is_file() and ".preview" not in p.parts}
    assert visible <= {".pdf", ".docx", ".pptx", ".json", ".jsonl", ".html"}


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed")
@pytest.mark.office
def test_docx_and_pptx_previewed_through_libreoffice(site) -> None:  # type: ignore[no-untyped-def]
    study = site["study"]
    for rec in site["report"].outputs:
        if rec.format == "pdf":
            continue
        pv = make_previews([study / rec.path], study / ".preview")[study / rec.path]
        assert pv.note is None and pv.cached  # rendered when the site's gallery was written
        assert len(pv.pages) == pv.page_count >= 1
        if rec.format == "pptx":
            assert pv.page_count == rec.pages  # one picture per slide
            assert pv.pages[0].width > pv.pages[0].height


def test_without_libreoffice_office_files_say_so_and_pdfs_still_show(site, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    shutil.copytree(site["study"], out / site["study"].name, ignore=shutil.ignore_patterns(".preview", "index.html"))
    monkeypatch.setattr(thumbnails, "soffice", lambda: None)
    monkeypatch.setattr(gallery, "soffice", lambda: None)
    html = write_gallery(out).read_text("utf-8")
    assert "need LibreOffice" in html and NEEDS_LIBREOFFICE.split(";")[0] in html
    assert html.count('alt="one_pager.pdf page 1"') == 1
    assert "deck_insert.pptx slide 1" not in html and "deck_insert.pptx" in html


# ---------------------------------------------------------------- gallery content


def test_gallery_lists_every_output_with_warnings_fitting_and_roi(site) -> None:  # type: ignore[no-untyped-def]
    html = site["index"].read_text("utf-8")
    manifest = json.loads((site["study"] / "manifest.json").read_text("utf-8"))
    from markupsafe import escape

    for o in manifest["outputs"]:
        assert f'href="{site["study"].name}/{o["path"]}"' in html
        for note in o["warnings"] + o["fitting"]:
            assert f"<li>{escape(note)}</li>" in html
    for w in manifest["warnings"]:
        assert escape(w) in html
    assert escape(manifest["study"]["title"]) in html
    assert "196.2 %" in html and "winning" in html  # ROI and zone
    for stage in ("Pre-sale", "Onboarding", "Service", "Renewal"):
        assert f">{stage}</h3>" in html
    # Static and offline: nothing fetched from anywhere, no scripts.
    assert "<script" not in html and "http://" not in html and "https://" not in html.replace(
        "https://www.g2.com", "")
    batch = (site["study"] / "renewal" / "index.html").read_text("utf-8")
    assert batch.count('<span class="badge built">built</span>') == 3
    assert batch.count('<span class="badge skipped">skipped</span>') == 1
    assert "&lt;b&gt;galactic&lt;/b&gt;" in batch and "<b>galactic" not in batch
    header, *data = csv.reader((site["out"].parent / "accounts.csv").open(encoding="utf-8"))
    built_names = [r[header.index("name")] for i, r in enumerate(data) if i != 1]  # data row 2 was refused
    assert all(n and n in batch for n in built_names)  # each built row shows the account's name, not just its id


def test_gallery_escapes_hostile_spec_text(kit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "hostile.yaml"
    spec.write_text(MINIMAL.read_text("utf-8").replace("title: Minimal study", f"title: '{HOSTILE} {HOSTILE_IMG}'", 1),
                    "utf-8")
    out = tmp_path / "out"
    report = build(load_study(spec), kit, out, stages=("renewal",), formats=("pdf",))
    manifest = json.loads(report.manifest.read_text("utf-8"))
    assert HOSTILE in manifest["study"]["title"]
    # Spec text reaches warnings and fitting notes too: put the hostile text in each place.
    manifest["warnings"].append(f"spec.yaml:1:1: warning: {HOSTILE}")
    manifest["outputs"][0]["warnings"].append(HOSTILE_IMG)
    manifest["outputs"][0]["fitting"].append(f"quote '{HOSTILE}' cut")
    manifest["roi"]["next_steps"] = [HOSTILE]
    manifest["roi"]["roi_pct"]["definition"] = f'" onmouseover="alert(1)" {HOSTILE}'
    manifest["coverage"] = [{"value_prop": HOSTILE, "verified_quotes": ["q1"], "case_studies": [], "usable_quotes": []}]
    report.manifest.write_text(json.dumps(manifest), "utf-8")
    index = write_gallery(out, errors=[ErrorBanner(f"bad {HOSTILE}", [f"spec.yaml:3:1: error: {HOSTILE_IMG}"],
                                                   spec=str(spec))])
    html = index.read_text("utf-8")
    assert "<script" not in html and "<img src=x" not in html and 'onmouseover="alert' not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 7
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in html
    if browser_helpers.available():
        with browser_helpers.chromium() as driver:
            driver.get(index.resolve().as_uri())
            assert driver.execute_script("return typeof window.__pwned") == "undefined"
            assert HOSTILE in driver.find_element("tag name", "h2").text or HOSTILE in driver.page_source.replace(
                "&lt;", "<").replace("&gt;", ">")
            assert HOSTILE in driver.title or "ROI in a Box" in driver.title


# ---------------------------------------------------------------- the real browser


@pytest.mark.browser
@pytest.mark.skipif(not browser_helpers.available(), reason="chromium, chromium-driver or selenium missing")
def test_gallery_in_headless_chromium(site) -> None:  # type: ignore[no-untyped-def]
    with browser_helpers.chromium() as driver:
        main = browser_helpers.check_page(driver, site["index"])
        study = site["study"]
        previews = make_previews([study / r.path for r in site["report"].outputs], study / ".preview")
        expected = 0
        for rec in site["report"].outputs:
            if rec.format == "docx" and HAS_SOFFICE:  # Word/LibreOffice paginate DOCX themselves
                expected += previews[study / rec.path].page_count
            elif rec.format == "pdf" or HAS_SOFFICE:
                expected += rec.pages  # every PDF page and every slide
        assert len(main["images"]) == expected
        assert main["broken_images"] == []
        assert main["broken_links"] == []
        hrefs = [h for h, _ in main["links"]]
        for rec in site["report"].outputs:
            assert f"{site['study'].name}/{rec.path}" in hrefs
        assert any(h.endswith("-full.png") for h in hrefs)  # thumbnails click through to full size
        browser_helpers.screenshot(driver, Path("/tmp/roi-preview-gallery.png"))

        batch = browser_helpers.check_page(driver, site["study"] / "renewal" / "index.html")
        assert len(batch["images"]) == 3 and batch["broken_images"] == [] and batch["broken_links"] == []
        browser_helpers.screenshot(driver, Path("/tmp/roi-preview-batch.png"))


# ---------------------------------------------------------------- CLI


def test_preview_command_and_build_hook(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    shutil.copytree(site["study"], out / site["study"].name)
    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(app, ["preview", str(out), "--no-office"])
    assert res.exit_code == 0, res.output
    assert (out / "index.html").is_file() and "gallery:" in res.output
    assert preview_after_build(out, site["report"], office=False) == out / "index.html"
    res = CliRunner().invoke(app, ["watch", "--help"])
    assert res.exit_code == 0 and "--brand" in res.output


# ---------------------------------------------------------------- watch


def _wait(pred, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


def _edit(spec: Path, text: str, pred, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    """Write ``text`` and wait for ``pred``; write again every few seconds in case the watcher was not armed yet."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        spec.write_text(text, "utf-8")
        if _wait(pred, min(4.0, max(0.1, end - time.monotonic()))):
            return True
    return False


def test_watch_rebuilds_on_edit_and_shows_spec_errors(tmp_path: Path) -> None:
    from roi_in_a_box.preview.watch import Watcher

    spec = tmp_path / "study.yaml"
    original = MINIMAL.read_text("utf-8")
    spec.write_text(original, "utf-8")
    out = tmp_path / "out"
    results: list = []
    stop = threading.Event()
    watcher = Watcher(spec, None, out, stages=("pre_sale", "renewal"), formats=("pdf",), office=False,
                      echo=lambda *a, **k: None)
    thread = threading.Thread(target=watcher.run, kwargs={"stop_event": stop, "on_cycle": results.append,
                                                          "debounce_ms": 100}, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: len(results) >= 1), "initial build did not finish"
        assert results[0].ok and results[0].rebuilt == 2
        pdf = out / "minimal" / "renewal" / "renewal_packet.pdf"
        index = out / "index.html"
        first_sha = _sha(pdf)
        assert "Minimal study" in index.read_text("utf-8")

        edited = original.replace("title: Minimal study", "title: Minimal study, edited")
        assert _edit(spec, edited, lambda: len(results) >= 2 and results[-1].rebuilt), "edit did not trigger a rebuild"
        assert results[-1].ok and str(spec) in results[-1].changes
        good_sha = _sha(pdf)
        assert good_sha != first_sha
        assert "Minimal study, edited" in index.read_text("utf-8")

        n = len(results)
        broken = original.replace("title: Minimal study", "titel: Minimal study")
        assert _edit(spec, broken, lambda: len(results) > n), "a broken spec did not trigger a cycle"
        bad = results[-1]
        assert not bad.ok and any("titel" in p and f"{spec}:" in p for p in bad.problems)
        html = index.read_text("utf-8")
        assert 'class="banner error"' in html and "unknown key" in html and "titel" in html
        assert _sha(pdf) == good_sha  # the last good output stays
        assert "Minimal study, edited" in html  # …and so does its gallery section
        assert bad.index == index

        n = len(results)
        assert _edit(spec, original, lambda: len(results) > n and results[-1].ok), "fixing the spec did not rebuild"
        assert 'class="banner error"' not in index.read_text("utf-8")
        assert _sha(pdf) == first_sha
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_watch_filter(tmp_path: Path) -> None:
    from roi_in_a_box.bundled import LAYOUTS_DIR
    from roi_in_a_box.preview.watch import Watcher

    spec = tmp_path / "study.yaml"
    shutil.copy(MINIMAL, spec)
    w = Watcher(spec, None, tmp_path / "out")
    assert w.relevant(spec)
    assert w.relevant(LAYOUTS_DIR / "one_pager.yaml")
    assert w.relevant(resolve_kit(None) / "brand.yaml")
    assert not w.relevant(tmp_path / "other.yaml")            # another spec in the same folder
    assert not w.relevant(tmp_path / "out" / "minimal" / "manifest.json")
    assert not w.relevant(tmp_path / ".study.yaml.swp")
    assert tmp_path in w.watch_dirs() and LAYOUTS_DIR.resolve() in w.watch_dirs()


def test_gallery_css_is_not_escaped_and_embeds_subset_fonts(tmp_path):
    """Quoted font names in the CSS must survive autoescaping, and Thai/Bengali text must get a
    font even on machines that have none for those scripts."""
    from roi_in_a_box.preview.gallery import embed_fonts, render_index

    html = render_index([])
    style = html[html.index("<style>"):html.index("</style>")]
    assert "&#34;" not in style and '"Gallery Latin"' in style
    page = embed_fonts('<style>/*font-faces*/</style><p>นิยาม ROI ใหม่ আমাদের গবেষণা</p>')
    assert page.count("@font-face") >= 3  # Latin, Bengali and Thai faces, subset to this text
    assert len(page) < 200_000
