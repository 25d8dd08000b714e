"""Brand kits: shipped kits load; bad kits fail with located, specific reasons."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest

from roi_in_a_box.brand.images import MAX_PIXELS, ImageError, check_image
from roi_in_a_box.brand.kit import KITS_DIR, _load_kit, contrast_ratio, load_kit
from roi_in_a_box.spec.errors import InputError


def _kit(tmp_path: Path, edit=None) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "kit"
    shutil.copytree(KITS_DIR / "northbeam", root)
    if edit:
        text = (root / "brand.yaml").read_text("utf-8")
        (root / "brand.yaml").write_text(edit(text), "utf-8")
    _load_kit.cache_clear()
    return root


def test_shipped_kits_load() -> None:
    names = sorted(p.name for p in KITS_DIR.iterdir() if (p / "brand.yaml").is_file())
    assert {"northbeam", "harbor"} <= set(names)
    for name in names:
        brand = load_kit(KITS_DIR / name)
        assert brand.logo is not None and brand.logo.is_file()
        assert set(brand.body.by_script) == {"latin", "bengali", "thai"}


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_low_contrast_reported_with_both_colours_and_ratio(tmp_path: Path) -> None:
    root = _kit(tmp_path, lambda t: t.replace('muted: "#5B6270"', 'muted: "#BBBBBB"'))
    with pytest.raises(InputError) as info:
        load_kit(root)
    p = next(p for p in info.value.problems if p.code == "contrast")
    assert "#BBBBBB" in p.message and "#FFFFFF" in p.message and "1.92:1" in p.message
    assert p.path == "colors.muted" and p.line > 1


def test_bad_colour_is_located(tmp_path: Path) -> None:
    root = _kit(tmp_path, lambda t: t.replace('accent: "#E0A43A"', 'accent: "amber"'))
    with pytest.raises(InputError) as info:
        load_kit(root)
    p = info.value.problems[0]
    assert p.path == "colors.accent" and p.code == "string_pattern_mismatch"


@pytest.mark.parametrize("logo", ["/etc/passwd", "../northbeam/logo.png", "missing.png"])
def test_paths_must_stay_inside_the_kit(tmp_path: Path, logo: str) -> None:
    root = _kit(tmp_path, lambda t: t.replace("logo: logo.png", f"logo: {logo}"))
    with pytest.raises(InputError) as info:
        load_kit(root)
    assert any(p.code == "file" and p.path == "logo" for p in info.value.problems)


def test_symlink_out_of_kit_rejected(tmp_path: Path) -> None:
    root = _kit(tmp_path)
    (root / "logo.png").unlink()
    (root / "logo.png").symlink_to(KITS_DIR / "harbor" / "logo.png")
    with pytest.raises(InputError) as info:
        load_kit(root)
    assert any("outside" in p.message for p in info.value.problems)


def _png(path: Path, width: int, height: int) -> None:
    """A valid PNG header claiming a size, with a tiny (truncated) body: a classic bomb shape."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))


def test_pixel_bomb_rejected_before_decoding(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    _png(bomb, 20_000, 20_000)
    with pytest.raises(ImageError, match="pixels"):
        check_image(bomb)
    assert 20_000 * 20_000 > MAX_PIXELS


def test_truncated_image_rejected_by_full_decode(tmp_path: Path) -> None:
    bad = tmp_path / "bad.png"
    _png(bad, 400, 400)
    with pytest.raises(ImageError, match="decoded"):
        check_image(bad)


def test_svg_or_other_types_rejected(tmp_path: Path) -> None:
    svg = tmp_path / "logo.png"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(ImageError, match="not a PNG or JPEG"):
        check_image(svg)


def test_cff_font_rejected(tmp_path: Path) -> None:
    root = _kit(tmp_path, lambda t: t.replace("source: fontpkg:lato", "source: kit", 1))
    (root / "fonts").mkdir()
    (root / "fonts" / "Lato-Regular.ttf").write_bytes(b"OTTO" + b"\0" * 64)
    with pytest.raises(InputError) as info:
        load_kit(root)
    assert any(p.code == "font" for p in info.value.problems)
