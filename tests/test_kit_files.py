"""A brand kit is read only through its allowlist: brand.yaml and the files it names, each
reached without a symbolic link out of the kit, size-capped before reading; the kit's
fingerprint covers exactly those files.  Logos are re-encoded before any renderer sees
them (no trailing payload, CMYK turned into sRGB)."""

from __future__ import annotations

import io
import shutil
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from PIL import Image

from roi_in_a_box.brand.kit import forget_kits, load_kit
from roi_in_a_box.brand.kit_files import KitFileError, contained_file
from roi_in_a_box.spec.errors import InputError
from tests.hostile_helpers import ROOT, assert_clean_failure, run_cli, sample_copy

LATO = Path(str(resources.files("fontpkg_lato") / "files"))
KIT_FAMILY = """  house:
    family: House Lato
    source: kit
    regular: Lato-Regular.ttf
    bold: Lato-Bold.ttf
"""


def _kit(tmp_path: Path, *, kit_fonts: bool = False) -> Path:
    kit = tmp_path / "kit"
    shutil.copytree(ROOT / "brand_kits" / "northbeam", kit)
    if kit_fonts:
        text = (kit / "brand.yaml").read_text("utf-8").replace("families:\n", "families:\n" + KIT_FAMILY, 1)
        (kit / "brand.yaml").write_text(text.replace("body: {latin: lato", "body: {latin: house"), "utf-8")
    forget_kits()
    return kit


def test_fonts_folder_symlinked_outside_the_kit_is_refused(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for f in ("Lato-Regular.ttf", "Lato-Bold.ttf"):
        shutil.copy(LATO / f, outside / f)
    kit = _kit(tmp_path, kit_fonts=True)
    (kit / "fonts").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputError) as err:
        load_kit(kit)
    assert "the folder 'fonts' is a symbolic link that leads outside the folder" in str(err.value)
    assert err.value.problems[0].path == "families.house"


def test_kit_fonts_inside_the_kit_work(tmp_path):
    kit = _kit(tmp_path, kit_fonts=True)
    (kit / "fonts").mkdir()
    for f in ("Lato-Regular.ttf", "Lato-Bold.ttf"):
        shutil.copy(LATO / f, kit / "fonts" / f)
    brand = load_kit(kit)
    assert brand.body.by_script["latin"].regular == (kit / "fonts" / "Lato-Regular.ttf").resolve()


@pytest.mark.parametrize("name", ["logo.png", "template.pptx"])
def test_named_file_symlinked_outside_is_refused(tmp_path, name):
    kit = _kit(tmp_path)
    secret = tmp_path / "secret.png"
    shutil.copy(kit / "logo.png", secret)
    (kit / "logo.png").unlink()
    (kit / "logo.png").symlink_to(secret)
    with pytest.raises(InputError) as err:
        load_kit(kit)
    assert "symbolic link that leads outside" in str(err.value) and err.value.problems[0].path == "logo"


def test_brand_yaml_symlinked_outside_is_refused(tmp_path):
    kit = _kit(tmp_path)
    real = tmp_path / "brand.yaml"
    shutil.move(kit / "brand.yaml", real)
    (kit / "brand.yaml").symlink_to(real)
    with pytest.raises(InputError, match="symbolic link"):
        load_kit(kit)


def test_unnamed_files_are_never_read_and_not_in_the_fingerprint(tmp_path):
    kit = _kit(tmp_path)
    digest = load_kit(kit).digest
    (kit / "notes.txt").symlink_to("/etc/passwd")
    with (kit / "huge.bin").open("wb") as fh:  # sparse: 1.5 GB that reading would take seconds and memory
        fh.truncate(1_500_000_000)
    (kit / "fifo").parent.mkdir(exist_ok=True)
    import os

    os.mkfifo(kit / "fifo")  # reading it would block forever
    forget_kits()
    assert load_kit(kit).digest == digest
    (kit / "logo.png").write_bytes((kit / "logo.png").read_bytes() + b"changed")
    forget_kits()
    assert load_kit(kit).digest != digest


def test_contained_file_rules(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x" * 10)
    (tmp_path / "inner").symlink_to(tmp_path / "sub", target_is_directory=True)
    assert contained_file(tmp_path, "inner/a.txt", 100) == (tmp_path / "sub" / "a.txt").resolve()
    for bad, reason in (("/etc/passwd", "relative"), ("../x", "'..'"), ("sub", "regular file"),
                        ("sub/a.txt/x", "not found"), ("C:/x", "relative"), ("nope", "not found")):
        with pytest.raises(KitFileError, match=reason):
            contained_file(tmp_path, bad, 100)
    with pytest.raises(KitFileError, match="at most 5"):
        contained_file(tmp_path, "sub/a.txt", 5)


def _cmyk_jpeg(path: Path) -> None:
    Image.new("CMYK", (120, 40), (200, 40, 0, 30)).save(path, "JPEG")


def test_cmyk_jpeg_logo_builds_every_format(tmp_path):
    spec = sample_copy(tmp_path, lambda t: t.replace("logos/ledgerly.png", "logos/cmyk.jpg"))
    _cmyk_jpeg(tmp_path / "logos" / "cmyk.jpg")
    out = tmp_path / "out"
    run = run_cli("build", spec, "--stage", "pre_sale", "--out", out, cwd=tmp_path)
    assert_clean_failure(run, 0, "")
    for name, prefix in (("case_study.docx", "word/media/"), ("deck_insert.pptx", "ppt/media/")):
        with zipfile.ZipFile(next(out.rglob(name))) as z:
            media = [n for n in z.namelist() if n.startswith(prefix) and n.endswith((".jpg", ".jpeg"))]
            assert media and Image.open(io.BytesIO(z.read(media[0]))).mode == "RGB", name


@pytest.mark.parametrize("logo", ["logos/ledgerly.png", "kit"])
def test_trailing_payload_after_png_does_not_travel(tmp_path, logo):
    payload = b"PAYLOAD-" * 64
    if logo == "kit":
        kit = _kit(tmp_path)
        (kit / "logo.png").write_bytes((kit / "logo.png").read_bytes() + payload)
        spec = sample_copy(tmp_path, lambda t: t.replace("logo: logos/ledgerly.png", "logo: null"))
        extra: tuple[str | Path, ...] = ("--brand", kit)
    else:
        spec = sample_copy(tmp_path)
        target = tmp_path / logo
        target.write_bytes(target.read_bytes() + payload)
        extra = ()
    out = tmp_path / "out"
    run = run_cli("build", spec, "--stage", "pre_sale", *extra, "--out", out, cwd=tmp_path)
    assert_clean_failure(run, 0, "")
    outputs = [p for p in out.rglob("*") if p.suffix in (".pdf", ".docx", ".pptx")]
    assert len(outputs) == 3
    for p in outputs:
        if p.suffix == ".pdf":
            assert b"PAYLOAD-" not in p.read_bytes()
            continue
        with zipfile.ZipFile(p) as z:
            assert any("media/" in n for n in z.namelist()), p.name
            for n in z.namelist():
                assert b"PAYLOAD-" not in z.read(n), (p.name, n)


def test_damaged_kit_font_is_a_located_error(tmp_path):
    kit = _kit(tmp_path, kit_fonts=True)
    (kit / "fonts").mkdir()
    (kit / "fonts" / "Lato-Regular.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 64)
    shutil.copy(LATO / "Lato-Bold.ttf", kit / "fonts")
    with pytest.raises(InputError) as err:
        load_kit(kit)
    assert "damaged TrueType file" in str(err.value) and err.value.problems[0].line > 1
