"""DOCX packets in a warm batch worker: what a worker reuses between accounts (laid-out
page-model boxes, compressed zip members, the chart PNG encoder) never changes a file.

An account built first in a process, after fifty others, in a fresh process and by the
process pool gives the same bytes."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from roi_in_a_box import caches
from roi_in_a_box.deliver.account_stream import stream_accounts
from roi_in_a_box.deliver.batch import run_batch
from roi_in_a_box.deliver.make_accounts import write_accounts
from roi_in_a_box.deliver.pipeline import Job, render_one, vendor_logo
from roi_in_a_box.render.docx import page_model
from roi_in_a_box.render.docx.renderer import DocxRenderer
from roi_in_a_box.render.png import encode_rgb

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"


@pytest.fixture(scope="module")
def accounts(analysis, tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("accounts") / "accounts.csv"
    write_accounts(analysis.spec, path, 52)
    return path, [acc for part in stream_accounts(path, analysis.spec, 64) for _, acc in part.good]


def test_png_encoder_gives_back_the_exact_pixels() -> None:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    for image in (pixels[:, :, :3], np.ascontiguousarray(pixels[:, :, :3]), pixels[::2, 1:, :3]):  # strided views too
        png = encode_rgb(image)
        with Image.open(io.BytesIO(png)) as im:
            assert im.mode == "RGB" and im.size == (image.shape[1], image.shape[0])
            assert np.array_equal(np.asarray(im), image)
        assert encode_rgb(image.copy()) == png
    with pytest.raises(ValueError, match="RGB pixels"):
        encode_rgb(pixels)


def _packet(analysis, kit, account, path: Path) -> bytes:  # type: ignore[no-untyped-def]
    render_one(analysis, Job("renewal", "renewal_summary", "docx", path), kit, account=account,
               logo=vendor_logo(analysis), check=False)
    return path.read_bytes()


def test_page_model_estimates_the_same_warm_and_cold(analysis, kit, accounts, tmp_path: Path) -> None:
    """The box cache keys on the element's XML, width, table style, styles and fonts: a
    warm estimate is the one a cold model makes, and the same paragraph laid out at two
    widths is two entries."""
    files = [_packet(analysis, kit, acc, tmp_path / f"{i}.docx") for i, acc in enumerate(accounts[1][:4])]
    warm = [page_model.estimate(data, kit) for data in files]
    assert len(page_model._BOXES) > 0
    cold = []
    for data in files:
        page_model._BOXES.clear()
        page_model._STYLES.clear()
        cold.append(page_model.estimate(data, kit))
    assert [(e.fills, e.placed) for e in warm] == [(e.fills, e.placed) for e in cold]
    from lxml import etree

    doc = etree.fromstring(f'<w:p xmlns:w="{page_model.W}"><w:r><w:t>{"Renewal figures " * 40}</w:t></w:r></w:p>')
    model = page_model.Model(page_model.Styles(etree.fromstring(f'<w:styles xmlns:w="{page_model.W}"/>')),
                             page_model.Fonts(kit), ("test",))
    wide, narrow = model.para(doc, 400.0), model.para(doc, 120.0)
    assert len(narrow.lines) > len(wide.lines)
    assert model.para(doc, 400.0) is wide and model.para(doc, 120.0) is narrow


def test_an_account_is_the_same_bytes_first_fiftieth_and_in_a_fresh_process(analysis, kit, accounts,
                                                                             tmp_path: Path) -> None:
    _, accs = accounts
    caches.clear_all()
    first = _packet(analysis, kit, accs[0], tmp_path / "first.docx")
    others = {_packet(analysis, kit, acc, tmp_path / "other.docx") for acc in accs[1:51]}
    assert len(others) == 50  # every account's own file
    assert _packet(analysis, kit, accs[0], tmp_path / "again.docx") == first
    script = (
        "import sys; from pathlib import Path\n"
        "from roi_in_a_box.brand.kit import load_kit, resolve_kit\n"
        "from roi_in_a_box.deliver.account_stream import stream_accounts\n"
        "from roi_in_a_box.deliver.pipeline import Job, render_one, vendor_logo\n"
        "from roi_in_a_box.model.study import load_study\n"
        "a = load_study(Path(sys.argv[1])); kit = load_kit(resolve_kit(None))\n"
        "acc = next(iter(stream_accounts(Path(sys.argv[2]), a.spec, 64))).good[0][1]\n"
        "render_one(a, Job('renewal', 'renewal_summary', 'docx', Path(sys.argv[3])), kit, account=acc,\n"
        "           logo=vendor_logo(a), check=False)\n")
    fresh = tmp_path / "fresh.docx"
    subprocess.run([sys.executable, "-c", script, str(EN), str(accounts[0]), str(fresh)], check=True, cwd=ROOT)
    assert hashlib.sha256(fresh.read_bytes()).hexdigest() == hashlib.sha256(first).hexdigest()


def test_pool_and_serial_docx_batches_write_the_same_bytes(analysis, kit, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, path, 10)
    out = {}
    for jobs in (1, 2):
        report = run_batch(analysis, kit, path, tmp_path / f"j{jobs}", stage="renewal", formats=("docx",), jobs=jobs)
        assert report.built == 10 and report.ok
        root = tmp_path / f"j{jobs}"
        out[jobs] = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
                     if p.is_file() and p.suffix in (".docx", ".jsonl")}
    assert sum(k.endswith(".docx") for k in out[1]) == 10
    assert out[1] == out[2]


def test_a_docx_zip_stores_pictures_and_deflates_parts_once(analysis, kit, tmp_path: Path) -> None:
    """Already-compressed pictures are stored; every other part is deflated (the cached
    streams are the bytes zipfile itself writes, so the package reads back whole)."""
    import zipfile

    from roi_in_a_box.layout import engine

    doc, _ = engine.build_document(analysis, "renewal_summary", kit, stage="renewal", vendor_logo=vendor_logo(analysis))
    data = DocxRenderer().render(doc, kit, tmp_path / "s.docx").path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        kinds = {i.filename: i.compress_type for i in z.infolist()}
    pictures = [n for n in kinds if n.endswith(".png")]
    assert pictures and all(kinds[n] == zipfile.ZIP_STORED for n in pictures)
    assert all(kinds[n] == zipfile.ZIP_DEFLATED for n in kinds if not n.endswith(".png"))


def test_remembered_money_is_what_the_formatter_says() -> None:
    """Figures formatted again for every account come from memory: the same text as
    formatting afresh, amounts told apart by their exact digits."""
    from decimal import Decimal

    from roi_in_a_box.model.money import _MONEY, format_money

    fresh = format_money.__wrapped__  # type: ignore[attr-defined]
    cases = [(Decimal("1.0"), "USD", "en_US"), (Decimal("1.00"), "USD", "en_US"), (Decimal("6200000"), "THB", "th_TH"),
             (Decimal("1234567.5"), "BDT", "bn_BD")]
    for amount, currency, locale in cases:
        for kw in ({}, {"compact": True}, {"compact": True, "native_digits": True}, {"decimals": 2}):
            want = fresh(amount, currency, locale, **kw)
            assert format_money(amount, currency, locale, **kw) == want
            assert format_money(amount, currency, locale, **kw) == want  # remembered
    assert any(k[1] == "1.0" for k in _MONEY) and any(k[1] == "1.00" for k in _MONEY)
