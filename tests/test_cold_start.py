"""Cold start: what a fresh ``check`` and a fresh one-pager build import, and the disk cache
that lets them skip numpy.  Timing lives in ``bench/cold.py``; these pin the imports, so a
module-level import of a heavy library on these paths fails here instead of slowly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roi_in_a_box import disk_cache

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "sample_inputs" / "ledgerly_en.yaml"

# Run the CLI in a child and print the top-level packages it imported, as JSON, last.
_CHILD = """
import json, runpy, sys
sys.argv = ['roi-in-a-box', *sys.argv[1:]]
try:
    runpy.run_module('roi_in_a_box', run_name='__main__', alter_sys=True)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({'exit': code, 'modules': sorted(sys.modules)}))
"""

# Heavy stacks neither command needs.
NEVER = {"docx", "pptx", "dask", "distributed", "fsspec", "rich", "pyarrow", "pandas", "ruamel", "matplotlib",
         "pypdf", "pdfplumber", "pypdfium2"}
# PIL: the logo's full decode is kept by its hash once it passed
CHECK_NEVER = NEVER | {"reportlab", "pikepdf", "lxml", "fontTools", "uharfbuzz", "jinja2", "PIL"}


def _imports(tmp_path: Path, *args: str, cache: str = "cache") -> set[str]:
    """Every module a fresh ``roi-in-a-box ARGS`` imported (run with its own disk cache)."""
    env = dict(os.environ, ROI_IN_A_BOX_CACHE=cache if cache == "off" else str(tmp_path / cache))
    proc = subprocess.run([sys.executable, "-c", _CHILD, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["exit"] in (0, None), proc.stderr
    return set(result["modules"])


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_check_imports_no_renderer_and_no_numpy_once_cached(tmp_path: Path) -> None:
    first = _top(_imports(tmp_path, "check", str(SPEC)))
    assert {"numpy", "PIL"} <= first  # the Monte Carlo ran and the logo was decoded, and both were kept
    again = _imports(tmp_path, "check", str(SPEC))
    assert "numpy" not in _top(again)
    assert _top(again) & CHECK_NEVER == set()
    assert {m for m in again if m.startswith(("roi_in_a_box.render", "roi_in_a_box.layout"))} == set()


def test_pdf_one_pager_imports_no_office_stacks(tmp_path: Path) -> None:
    args = ("build", str(SPEC), "--layout", "one_pager", "--format", "pdf", "--force", "--out", str(tmp_path / "out"))
    _imports(tmp_path, *args)
    mods = _imports(tmp_path, *args)
    assert "reportlab" in _top(mods)  # (the command did build a PDF)
    # lxml: only a kit with an Office template reads XML; fontTools: font checks, coverage and
    # the PDF's font subsets come from the disk cache
    assert _top(mods) & (NEVER | {"numpy", "lxml", "fontTools"}) == set()
    assert {"xml.sax", "http.client"} & mods == set()


def test_a_one_pager_from_the_disk_cache_is_byte_identical(tmp_path: Path) -> None:
    """Built with the cache off, then filling it, then from it: the same bytes each time."""
    pdfs = []
    for i, cache in enumerate(("off", "cache", "cache")):
        out = tmp_path / f"out{i}"
        _imports(tmp_path, "build", str(SPEC), "--layout", "one_pager", "--format", "pdf", "--out", str(out),
                 cache=cache)
        pdfs.append((out / "ledgerly-close-2026" / "pre_sale" / "one_pager.pdf").read_bytes())
    assert pdfs[0] == pdfs[1] == pdfs[2]
    kinds = {p.name for p in (tmp_path / "cache").iterdir()}
    assert {"monte-carlo", "font-tables", "font-coverage", "pdf-subset", "image-checks", "image-cleaned"} <= kinds


# --------------------------------------------------------------------------- the disk cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(disk_cache.ENV, str(folder))
    return folder


def _risk() -> object:
    from roi_in_a_box.model.study import load_study

    return load_study(SPEC).risk


def test_a_kept_monte_carlo_is_the_computed_one(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from roi_in_a_box.model import simulation

    computed = _risk()
    assert len(list((cache / "monte-carlo").glob("*.json"))) == 1
    monkeypatch.setattr(simulation, "_simulate", lambda *a: pytest.fail("simulated again"))
    assert _risk() == computed  # every Decimal equal, exponent included
    assert repr(_risk()) == repr(computed)


def test_a_damaged_entry_is_a_miss_and_is_replaced(cache: Path) -> None:
    computed = _risk()
    (entry,) = (cache / "monte-carlo").glob("*.json")
    for damage in ("{not json", json.dumps({"iterations": 5}), json.dumps([1, 2])):
        entry.write_text(damage, "utf-8")
        assert _risk() == computed
    assert json.loads(entry.read_text("utf-8"))["iterations"] == computed.monte_carlo.iterations  # type: ignore[attr-defined]


def test_off_and_unwritable_folders_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(disk_cache.ENV, str(tmp_path / "cache"))
    computed = _risk()
    monkeypatch.setenv(disk_cache.ENV, "off")
    assert disk_cache.folder() is None
    assert _risk() == computed
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(disk_cache.ENV, str(blocker / "cache"))  # cannot be created
    assert _risk() == computed


def test_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(disk_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert disk_cache.folder() == tmp_path / "roi-in-a-box"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert disk_cache.folder() == Path.home() / ".cache" / "roi-in-a-box"


def test_damaged_font_entries_are_misses(cache: Path) -> None:
    from roi_in_a_box.brand import fonts
    from roi_in_a_box.brand.kit import load_kit, resolve_kit

    path = load_kit(resolve_kit(None)).body.by_script["latin"].regular
    fonts.coverage.cache_clear()
    fonts.check_truetype.cache_clear()
    truth = fonts.coverage(path)
    for kind in ("font-coverage", "font-tables"):
        for entry in (cache / kind).glob("*.json"):
            entry.write_text(json.dumps({"not": "a list"}), "utf-8")
    fonts.coverage.cache_clear()
    fonts.check_truetype.cache_clear()
    fonts.check_truetype(path)
    assert fonts.coverage(path) == truth


def test_each_kind_keeps_at_most_its_cap(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(disk_cache, "MAX_ENTRIES", 3)
    for i in range(6):
        disk_cache.store("test-kind", disk_cache.key(i), {"i": i})
    kept = sorted(json.loads(p.read_text("utf-8"))["i"] for p in (cache / "test-kind").glob("*.json"))
    assert len(kept) == 3 and 5 in kept
    assert disk_cache.load("test-kind", disk_cache.key(5)) == {"i": 5}
