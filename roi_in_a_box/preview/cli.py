"""``preview`` and ``watch`` commands, and the ``build --preview`` hook.

Wire into the main app with::

    from .preview.cli import register
    register(app)

and, at the end of ``build`` when ``--preview`` is given::

    from .preview.cli import preview_after_build
    index = preview_after_build(out, report)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer


def _progress(msg: str) -> None:
    print(f"  {msg}", file=sys.stderr, flush=True)


def _lo_notice() -> None:
    from .thumbnails import NEEDS_LIBREOFFICE, soffice

    if soffice() is None:
        print(f"note: {NEEDS_LIBREOFFICE}", file=sys.stderr)


def preview_after_build(out_dir: Path, report: Any = None, *, office: bool = True) -> Path:
    """Render previews for what is in ``out_dir`` (cached by hash) and write ``out_dir/index.html``.

    ``report`` (a :class:`~roi_in_a_box.deliver.pipeline.BuildReport`) is accepted for the
    ``build --preview`` hook; the gallery covers every study in ``out_dir`` either way.
    """
    from .gallery import write_gallery

    if office:
        _lo_notice()
    return write_gallery(Path(out_dir), office=office, progress=_progress)


def register(app: typer.Typer) -> None:
    """Add ``preview OUTDIR`` and ``watch SPEC`` to ``app``."""

    @app.command()
    def preview(outdir: Path = typer.Argument(Path("output"), file_okay=False,
                                              help="Output folder of earlier builds (default: output)"),
                office: bool = typer.Option(True, "--office/--no-office",
                                            help="Preview DOCX/PPTX through LibreOffice (when installed)")) -> None:
        """Write PNG previews of every page and slide and an offline index.html gallery for OUTDIR."""
        if not outdir.is_dir():
            raise typer.BadParameter(f"{outdir} is not a folder of builds", param_hint="OUTDIR")
        index = preview_after_build(outdir, office=office)
        print(f"gallery: {index}  (open {index.resolve().as_uri()})")

    @app.command()
    def watch(spec: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="Study spec (YAML)"),
              brand: Optional[str] = typer.Option(None, "--brand", "-b", help="Brand kit name in brand_kits/ or a kit folder"),
              out: Path = typer.Option(Path("output"), "--out", "-o", help="Output folder"),
              stage: Optional[list[str]] = typer.Option(None, "--stage", "-s", help="Stages to build (repeatable; default all)"),
              fmt: Optional[list[str]] = typer.Option(None, "--format", "-f", help="Only these formats (repeatable)"),
              office: bool = typer.Option(True, "--office/--no-office", help="Preview DOCX/PPTX through LibreOffice"),
              no_preview: bool = typer.Option(False, "--no-preview", help="Rebuild only; no thumbnails")) -> None:
        """Rebuild SPEC whenever it, a layout or the brand kit changes, and keep OUT/index.html current."""
        from ..cli_args import fail as _fail, parse_formats as _formats, parse_stages as _stages
        from ..spec.errors import InputError
        from .watch import Watcher

        stages, formats = _stages(stage), _formats(fmt)
        try:
            watcher = Watcher(spec, brand, out, stages=stages, formats=formats, previews=not no_preview,
                              office=office)
        except InputError as exc:
            _fail(exc)
            return
        if office and not no_preview:
            _lo_notice()
        try:
            watcher.run()
        except KeyboardInterrupt:
            pass
        print("watch stopped", file=sys.stderr)
