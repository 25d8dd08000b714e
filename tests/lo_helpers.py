"""LibreOffice headless helpers for renderer tests (shared by DOCX and PPTX tests).

LibreOffice finds fonts through fontconfig only: the brand's fontpkg TTF directories are
made visible by a private ``fonts.conf`` (system fonts stay included) passed through
``FONTCONFIG_FILE``.  ``soffice`` exits 0 even when a conversion fails, so
:func:`convert_to_pdf` checks that the PDF exists.  A private user profile keeps parallel
runs from fighting over ``~/.config/libreoffice``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


def font_dirs() -> list[Path]:
    """The directories of the test brand's fonts (tests/sample_tree.py)."""
    from tests.sample_tree import HIND, LATO, SARABUN

    return sorted({Path(f.regular).parent for f in (LATO, HIND, SARABUN)})


def write_fonts_conf(dest: Path, dirs: Iterable[Path] | None = None) -> Path:
    """Write a fontconfig file that adds ``dirs`` (default: :func:`font_dirs`) to the system config."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    cache = dest.parent / "fc-cache"
    entries = "\n".join(f"  <dir>{d}</dir>" for d in (dirs if dirs is not None else font_dirs()))
    dest.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{entries}\n  <cachedir>{cache}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return dest


def lo_env(workdir: Path, dirs: Iterable[Path] | None = None) -> dict[str, str]:
    """Environment for ``soffice`` with the fonts visible and a private profile under ``workdir``."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(write_fonts_conf(workdir / "fontconfig" / "fonts.conf", dirs))
    env["HOME"] = str(workdir / "home")
    return env


def convert_to_pdf(files: Iterable[Path], outdir: Path, timeout: float = 180.0,
                   dirs: Iterable[Path] | None = None) -> list[Path]:
    """Convert ``files`` (one soffice call) to PDFs in ``outdir``; raise if any PDF is missing."""
    if SOFFICE is None:
        raise RuntimeError("soffice not found")
    files = [Path(f) for f in files]
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)]
    proc = subprocess.run(cmd, env=lo_env(outdir, dirs), capture_output=True, text=True, timeout=timeout)
    pdfs = [outdir / (f.stem + ".pdf") for f in files]
    missing = [p for p in pdfs if not p.exists() or p.stat().st_size == 0]
    if missing:
        raise RuntimeError(f"soffice did not write {missing}: rc={proc.returncode} {proc.stderr[-2000:]}")
    return pdfs


def pdf_to_pngs(pdf: Path, outdir: Path, dpi: int = 60) -> list[Path]:
    """Rasterise every page of ``pdf`` with pdftoppm; returns the PNGs in page order."""
    if PDFTOPPM is None:
        raise RuntimeError("pdftoppm not found")
    outdir.mkdir(parents=True, exist_ok=True)
    prefix = outdir / pdf.stem
    subprocess.run([PDFTOPPM, "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(outdir.glob(f"{pdf.stem}-*.png"))


def pdf_fonts(pdf: Path) -> str:
    """``pdffonts`` output (font names used in the PDF), or "" if poppler-utils is missing."""
    exe = shutil.which("pdffonts")
    if exe is None:
        return ""
    return subprocess.run([exe, str(pdf)], capture_output=True, text=True, check=True).stdout
