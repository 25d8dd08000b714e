"""PNG previews of every page and slide, cached by the output file's sha256.

PDF pages are rasterised with pypdfium2.  DOCX and PPTX go through a PDF rendition made
by LibreOffice headless (``soffice``), when it is installed: one ``soffice`` call per
folder, a private user profile (parallel runs never share ``~/.config/libreoffice``) and
the brand kit's font directories made visible through a private ``fonts.conf``
(LibreOffice finds fonts only through fontconfig; system fonts stay included).
``soffice`` exits 0 even when a conversion fails, so the PDF's existence is checked.

Each output gets ``<study>/.preview/<sha256>/`` holding ``p001.png`` (thumbnail),
``p001-full.png`` (large) … and ``meta.json`` (written last: an entry without it is
incomplete and is rendered again).  The dot folder keeps previews out of the
deliverables; an unchanged file is never rendered twice.
"""

from __future__ import annotations

import json
import os
import pkgutil
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..deliver.fingerprint import file_hash
from ..render.registry import lookup
from . import PREVIEW_DIRNAME

THUMB_BOX = 360   # longest side of a thumbnail, px (shown at half size: sharp on HiDPI screens)
FULL_BOX = 1600   # longest side of the full-size picture, px
META = "meta.json"
META_VERSION = 1
NEEDS_LIBREOFFICE = ("Previews of DOCX and PPTX files need LibreOffice (soffice) installed; "
                     "install it (e.g. apt-get install libreoffice-writer-nogui libreoffice-impress-nogui) "
                     "and run the preview again.")
WORK_PREFIX = ".work-"

# pdfium is not thread-safe: one document at a time in this process.
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class PagePreview:
    number: int      # 1-based
    thumb: Path
    full: Path
    width: int       # thumbnail size in px
    height: int


@dataclass
class Preview:
    """The pictures of one output file, or why there are none."""

    source: Path
    format: str
    sha256: str
    pages: list[PagePreview] = field(default_factory=list)
    page_count: int = 0            # pages/slides in the rendition (may exceed len(pages) for first-page-only)
    note: str | None = None        # why pictures are missing, for the gallery
    cached: bool = False           # True: reused from an earlier run


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def cache_root(study_dir: Path) -> Path:
    return study_dir / PREVIEW_DIRNAME


# ---------------------------------------------------------------- fonts and LibreOffice


def installed_fontpkg_dirs() -> list[Path]:
    """``files/`` folders of every installed ``fontpkg_*`` package (fallback when the kit cannot load)."""
    dirs = []
    for mod in pkgutil.iter_modules():
        if mod.name.startswith("fontpkg_") and hasattr(mod.module_finder, "path"):
            folder = Path(mod.module_finder.path) / mod.name / "files"
            if folder.is_dir():
                dirs.append(folder)
    return sorted(set(dirs))


def brand_font_dirs(brand_root: Path | str | None) -> list[Path]:
    """Folders of the brand kit's font files; every installed fontpkg if the kit cannot be loaded."""
    if brand_root:
        try:
            from ..brand.kit import load_kit

            brand = load_kit(Path(brand_root))
            dirs = {p.parent for role in (brand.heading, brand.body) for fam in role.families()
                    for p in (fam.regular, fam.bold, fam.italic, fam.bold_italic) if p is not None}
            if dirs:
                return sorted(dirs)
        except Exception:  # a broken or moved kit must not stop previews
            pass
    return installed_fontpkg_dirs()


def write_fonts_conf(dest: Path, dirs: Iterable[Path]) -> Path:
    """A fontconfig file adding ``dirs`` to the system configuration, with a private cache."""
    from xml.sax.saxutils import escape

    dest.parent.mkdir(parents=True, exist_ok=True)
    entries = "\n".join(f"  <dir>{escape(str(d))}</dir>" for d in dirs)
    cache = escape(str(dest.parent / "fc-cache"))
    dest.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"{entries}\n  <cachedir>{cache}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return dest


def lo_env(workdir: Path, font_dirs: Iterable[Path]) -> dict[str, str]:
    """Environment for ``soffice``: fonts visible, HOME private under ``workdir``."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(write_fonts_conf(workdir / "fontconfig" / "fonts.conf", font_dirs))
    env["HOME"] = str(workdir / "home")
    (workdir / "home").mkdir(parents=True, exist_ok=True)
    return env


class ConversionError(RuntimeError):
    pass


def convert_to_pdf(files: Sequence[Path], outdir: Path, *, env: dict[str, str], profile: Path,
                   exe: str | None = None, timeout: float = 180.0) -> dict[Path, Path]:
    """Convert ``files`` (one folder, distinct stems) with one ``soffice`` call.

    Returns source → PDF for the files that converted; raises :class:`ConversionError`
    only when none did (the message carries soffice's stderr).
    """
    exe = exe or soffice()
    if exe is None:
        raise ConversionError(NEEDS_LIBREOFFICE)
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible",
           "--norestore", "--nologo", "--nodefault", "--nolockcheck",
           "--convert-to", "pdf", "--outdir", str(outdir), *(str(f.resolve()) for f in files)]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False,
                              stdin=subprocess.DEVNULL)
        detail = f"soffice exit {proc.returncode}: {(proc.stderr or proc.stdout)[-800:].strip()}"
    except subprocess.TimeoutExpired:
        detail = f"soffice did not finish within {timeout:.0f} s"
    except OSError as exc:
        detail = f"soffice could not start: {exc}"
    done = {}
    for f in files:
        pdf = outdir / (f.stem + ".pdf")
        if pdf.is_file() and pdf.stat().st_size > 0:
            done[f] = pdf
    if not done:
        raise ConversionError(f"LibreOffice wrote no PDF ({detail})")
    return done


# ---------------------------------------------------------------- rasterising


def _write_png(img: Any, path: Path) -> None:
    img.save(path, format="PNG", optimize=False, compress_level=6)


def rasterise_pdf(pdf: Path, dest: Path, *, first_only: bool = False) -> tuple[list[PagePreview], int]:
    """Render ``pdf``'s pages into ``dest`` (thumbnail and full size); returns pages and page count."""
    import pypdfium2 as pdfium
    from PIL import Image

    dest.mkdir(parents=True, exist_ok=True)
    pages: list[PagePreview] = []
    with _PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(pdf))
        try:
            count = len(doc)
            for i in range(1 if first_only else count):
                if i >= count:
                    break
                page = doc[i]
                try:
                    w, h = page.get_size()
                    scale = FULL_BOX / max(w, h)
                    bitmap = page.render(scale=scale, draw_annots=True, may_draw_forms=True)
                    full = bitmap.to_pil().convert("RGB")
                finally:
                    page.close()
                thumb = full.copy()
                thumb.thumbnail((THUMB_BOX, THUMB_BOX), Image.Resampling.LANCZOS)
                n = i + 1
                full_path, thumb_path = dest / f"p{n:03d}-full.png", dest / f"p{n:03d}.png"
                _write_png(full, full_path)
                _write_png(thumb, thumb_path)
                pages.append(PagePreview(n, thumb_path, full_path, thumb.width, thumb.height))
        finally:
            doc.close()
    return pages, count


# ---------------------------------------------------------------- cache


class PreviewCache:
    """``<study>/.preview/<sha256>/`` entries; ``meta.json`` marks a complete one."""

    def __init__(self, root: Path):
        self.root = root

    def entry(self, sha: str) -> Path:
        return self.root / sha

    def load(self, source: Path, fmt: str, sha: str, *, first_only: bool) -> Preview | None:
        folder = self.entry(sha)
        try:
            meta = json.loads((folder / META).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("version") != META_VERSION or meta.get("sha256") != sha:
            return None
        pages = [PagePreview(p["number"], folder / p["thumb"], folder / p["full"], p["width"], p["height"])
                 for p in meta.get("pages", [])]
        if not all(p.thumb.is_file() and p.full.is_file() for p in pages):
            return None
        complete = len(pages) >= meta.get("page_count", 0)
        if not pages or (not complete and not first_only):
            return None
        if first_only:
            pages = pages[:1]
        return Preview(source, fmt, sha, pages, meta.get("page_count", len(pages)), cached=True)

    def store(self, source: Path, fmt: str, sha: str, pdf: Path, *, first_only: bool) -> Preview:
        """Rasterise ``pdf`` (the output itself or its rendition) into a fresh entry, atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=self.root))
        try:
            pages, count = rasterise_pdf(pdf, tmp, first_only=first_only)
            meta = {"version": META_VERSION, "sha256": sha, "source": source.name, "format": fmt,
                    "page_count": count,
                    "pages": [{"number": p.number, "thumb": p.thumb.name, "full": p.full.name,
                               "width": p.width, "height": p.height} for p in pages]}
            (tmp / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
            final = self.entry(sha)
            if final.exists():
                shutil.rmtree(final, ignore_errors=True)
            try:
                os.replace(tmp, final)
            except OSError:  # another process stored the same entry meanwhile
                shutil.rmtree(tmp, ignore_errors=True)
                again = self.load(source, fmt, sha, first_only=first_only)
                if again is None:
                    raise
                return again
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        folder = self.entry(sha)
        return Preview(source, fmt, sha,
                       [PagePreview(p.number, folder / p.thumb.name, folder / p.full.name, p.width, p.height)
                        for p in pages], count)

    def prune(self, keep: set[str], *, stale_after: float = 3600.0) -> int:
        """Remove entries whose sha is not in ``keep`` and abandoned work folders; returns how many."""
        if not self.root.is_dir():
            return 0
        removed = 0
        now = time.time()
        for child in self.root.iterdir():
            if not child.is_dir():
                continue
            if child.name.startswith(WORK_PREFIX):
                if now - child.stat().st_mtime > stale_after:
                    shutil.rmtree(child, ignore_errors=True)
                    removed += 1
            elif len(child.name) == 64 and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
                removed += 1
        return removed


# ---------------------------------------------------------------- the job


def _groups_by_stem(items: list[tuple[Path, str]]) -> list[list[tuple[Path, str]]]:
    """Split one folder's files so no two in a group share a stem (their PDFs would collide)."""
    groups: list[list[tuple[Path, str]]] = []
    for item in items:
        for g in groups:
            if all(other.stem != item[0].stem for other, _ in g):
                g.append(item)
                break
        else:
            groups.append([item])
    return groups


def make_previews(files: Sequence[Path], cache_dir: Path, *, font_dirs: Iterable[Path] | None = None,
                  brand_root: Path | str | None = None, office: bool = True, first_only: bool = False,
                  exe: str | None = None, timeout: float = 180.0,
                  progress: Callable[[str], None] | None = None) -> dict[Path, Preview]:
    """Previews for ``files`` (PDF/DOCX/PPTX), rendered only when their sha256 is not cached.

    ``office=False`` (or no LibreOffice) leaves DOCX/PPTX with a ``note`` saying why.
    ``first_only`` renders just the first page (used for big batches).
    """
    cache = PreviewCache(cache_dir)
    out: dict[Path, Preview] = {}
    office_todo: dict[Path, list[tuple[Path, str]]] = {}
    exe = exe or soffice()
    for f in files:
        fmt = f.suffix.lower().lstrip(".")
        if not f.is_file():
            out[f] = Preview(f, fmt, "", note="file is missing")
            continue
        sha = file_hash(f)
        hit = cache.load(f, fmt, sha, first_only=first_only)
        if hit is not None:
            out[f] = hit
            continue
        info = lookup(fmt)
        preview = info.preview if info else "none"
        if preview == "pdf":
            try:
                out[f] = cache.store(f, fmt, sha, f, first_only=first_only)
            except Exception as exc:  # a broken PDF gets a note, not a crash
                out[f] = Preview(f, fmt, sha, note=f"could not render this PDF: {type(exc).__name__}: {exc}")
        elif preview == "office":
            if not office or exe is None:
                out[f] = Preview(f, fmt, sha, note=NEEDS_LIBREOFFICE if exe is None
                                 else "office previews were turned off for this run")
            else:
                office_todo.setdefault(f.parent, []).append((f, sha))
        else:
            out[f] = Preview(f, fmt, sha, note=f"no previewer for .{fmt} files")
    if not office_todo:
        return out

    dirs = list(font_dirs) if font_dirs is not None else brand_font_dirs(brand_root)
    cache_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=cache_dir))
    try:
        env = lo_env(work, dirs)
        profile = work / "lo-profile"  # one private profile, reused by every call of this run
        n = 0
        for folder, items in office_todo.items():
            for group in _groups_by_stem(items):
                n += 1
                if progress:
                    progress(f"LibreOffice: converting {len(group)} file(s) in {folder}")
                try:
                    pdfs = convert_to_pdf([p for p, _ in group], work / f"pdf{n}", env=env, profile=profile,
                                          exe=exe, timeout=timeout)
                    error = "LibreOffice did not convert this file"
                except ConversionError as exc:
                    pdfs, error = {}, str(exc)
                for src, sha in group:
                    fmt = src.suffix.lower().lstrip(".")
                    if src not in pdfs:
                        out[src] = Preview(src, fmt, sha, note=error)
                        continue
                    try:
                        out[src] = cache.store(src, fmt, sha, pdfs[src], first_only=first_only)
                    except Exception as exc:
                        out[src] = Preview(src, fmt, sha, note=f"could not render the LibreOffice rendition: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out
