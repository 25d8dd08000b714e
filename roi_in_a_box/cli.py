"""The ``roi-in-a-box`` command.

Exit status: 0 ok, 1 invalid input (every problem printed, located), 2 usage, 3 a batch stopped
by a lost Dask scheduler (resumable).
Heavy libraries are imported inside commands so ``--help`` and ``check`` start fast.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from .cli_args import EXIT_INVALID, fail as _fail, parse_formats as _formats, parse_stages as _stages
from .text.clean import for_terminal

if TYPE_CHECKING:
    from .model.study import Analysis

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                  help="Build analyst-verified ROI deliverables (PDF, DOCX, PPTX) from YAML study specs.")

EXIT_STOPPED = 4  # (3 is an unexpected error: failures.py) a batch stopped by a lost cluster; the ledger resumes it

LAYOUT_NAME = re.compile(r"^[a-z0-9_]{1,40}$")


def _waiting(message: str) -> None:
    print(for_terminal(message), file=sys.stderr, flush=True)


SpecArg = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="Study spec (YAML)")


@app.command()
def check(spec: Path = SpecArg,
          as_json: bool = typer.Option(False, "--json", help="Print the summary or the errors as JSON"),
          accessibility: bool = typer.Option(False, "--accessibility", help=(
              "Also build every stage's documents in a scratch folder and print their accessibility report")),
          brand: Optional[str] = typer.Option(None, "--brand", "-b", help="Brand kit for --accessibility")) -> None:
    """Validate a study spec and print its ROI figures, zone, evidence coverage and warnings."""
    from .model.study import load_study
    from .model.summary import summary_json, summary_text
    from .spec.errors import InputError

    try:
        analysis = load_study(spec)
        from .deliver.logo import vendor_logo

        vendor_logo(analysis)  # the logo is checked as a build would check it
        reports = _accessibility(analysis, spec, brand) if accessibility else None
    except InputError as exc:
        _fail(exc, as_json)
        return
    if as_json:
        print(json.dumps(summary_json(analysis) | ({"accessibility": reports} if reports is not None else {}),
                         ensure_ascii=False, indent=2))
        return
    print(for_terminal(summary_text(analysis)))
    if reports is not None:
        from .deliver.accessibility import summary

        print("\nAccessibility:")
        for name, checks in reports.items():
            print(f"  {name}: {summary(checks)}")
            for c in checks:
                if not c["ok"]:
                    print(for_terminal(f"      {c['check']}: {c['detail']}"))


def _accessibility(analysis: Analysis, spec: Path, brand: Optional[str]) -> dict[str, list[dict[str, object]]]:
    """Each stage document's accessibility report (``stage/file`` -> checks), built in a scratch folder."""
    import tempfile

    from .brand.kit import load_kit, resolve_kit
    from .deliver.pipeline import build

    kit = load_kit(resolve_kit(brand, spec.parent))
    with tempfile.TemporaryDirectory() as tmp:
        report = build(analysis, kit, Path(tmp))
    return {rec.path: rec.accessibility for rec in report.outputs}


@app.command()
def init(folder: Path = typer.Argument(..., file_okay=False, help="The new study folder"),
         kit: str = typer.Option("northbeam", "--kit", help="Bundled brand kit to copy into the folder")) -> None:
    """Start a study folder: a commented spec, its JSON Schema for editors and a brand kit to restyle."""
    from .scaffold import init_study
    from .spec.errors import InputError

    try:
        written = init_study(folder, kit=kit)
    except InputError as exc:
        _fail(exc)
        return
    for path in written:
        print(f"  wrote {path}")
    print(f"next: roi-in-a-box check {written[0]} && roi-in-a-box build {written[0]} --brand {kit}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the study spec (for editor completion and checking)."""
    from .spec.schema import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@app.command()
def build(spec: Path = SpecArg,
          stage: list[str] | None = typer.Option(None, "--stage", "-s",
                                                    help="pre_sale, onboarding, service, renewal or all (repeatable; default all, or with --layout the stages that use it)"),
          fmt: list[str] | None = typer.Option(None, "--format", "-f", help="pdf, docx or pptx (repeatable; default: each layout's own)"),
          layout: str | None = typer.Option(None, "--layout", "-l", help="Render just this layout (any format)"),
          brand: str | None = typer.Option(None, "--brand", "-b", help="Brand kit name in brand_kits/ or a kit folder"),
          out: Path = typer.Option(Path("output"), "--out", "-o", help="Output folder"),
          force: bool = typer.Option(False, "--force", help="Rebuild even if no input changed"),
          preview: bool = typer.Option(False, "--preview", help="Also write page thumbnails and OUT/index.html")) -> None:
    """Build a study's documents for each journey stage into OUT/<study-id>/<stage>/ with a manifest."""
    from .brand.kit import load_kit, resolve_kit
    from .deliver.pipeline import build as run_build
    from .model.study import load_study
    from .render.registry import unit_of
    from .spec.errors import InputError

    stages, formats = _stages(stage), _formats(fmt)
    if layout is not None and not LAYOUT_NAME.match(layout):
        raise typer.BadParameter(f"{layout!r} is not a layout name; give the name of a layout in layouts/ "
                                 "(paths are not accepted)", param_hint="--layout")
    if layout is not None and not stage:
        from .deliver.recipes import stages_using

        stages = stages_using(layout)
    try:
        analysis = load_study(spec)
        kit = load_kit(resolve_kit(brand, spec.parent))
        report = run_build(analysis, kit, out, stages=stages, formats=formats, layout=layout, force=force,
                           on_wait=_waiting)
    except InputError as exc:
        _fail(exc)
        return
    for w in analysis.warnings:
        print(for_terminal(str(w)), file=sys.stderr)
    if preview:
        from .preview.cli import preview_after_build

        print(f"gallery: {preview_after_build(out, report)}")
    if report.skipped:
        print(f"{report.study_id}: up to date, nothing to build ({len(report.outputs)} files; --force rebuilds)")
        return
    for rec in report.outputs:
        unit = unit_of(rec.format)
        print(f"  {rec.stage:<11} {report.out_dir / rec.path}  ({rec.pages} {unit}{'s' if rec.pages != 1 else ''}, "
              f"{rec.size / 1024:.0f} KB)")
        for note in rec.fitting:
            print(f"      fitted: {note}")
        for note in rec.warnings:
            print(f"      warning: {note}")
        for check in rec.accessibility:
            if not check["ok"]:
                print(f"      accessibility: {check['check']}: {check['detail']}")
    print(f"{report.study_id}: {len(report.outputs)} file(s), manifest {report.manifest}"
          + ("  [DRAFT: watermarked]" if analysis.draft else ""))


@app.command()
def batch(spec: Path = SpecArg,
          accounts: Path = typer.Argument(..., exists=True, dir_okay=False,
                                          help="Accounts file (.csv, .jsonl, .parquet or .yaml); CSV, JSONL and Parquet stream"),
          stage: str = typer.Option("renewal", "--stage", "-s", help="Journey stage to build per account"),
          fmt: list[str] | None = typer.Option(None, "--format", "-f", help="Only these formats (repeatable)"),
          brand: str | None = typer.Option(None, "--brand", "-b", help="Brand kit name or folder"),
          out: str = typer.Option("output", "--out", "-o",
                                  help="Output folder (on a cluster: storage every worker shares) or an fsspec URL (s3://bucket/path)"),
          work: Path = typer.Option(Path("output"), "--work", help="With a URL --out: local folder for the ledger and packets being built"),
          jobs: int = typer.Option(0, "--jobs", "-j", min=0, max=256,
                              help="Worker processes (0: all cores; at most 256); with dask and no scheduler, local workers"),
          executor: str = typer.Option("process", "--executor", "-x", help="process (a pool of this machine's cores) or dask"),
          scheduler: str | None = typer.Option(None, "--scheduler", envvar="DASK_SCHEDULER_ADDRESS",
                                                  help="Dask scheduler address (tcp://host:port); without one, dask starts a local cluster"),
          force: bool = typer.Option(False, "--force", help="Rebuild accounts finished by an earlier run"),
          progress: bool = typer.Option(False, "--progress", help="Report progress even when not on a terminal (one line per --every accounts)"),
          every: int = typer.Option(1000, "--every", min=1, help="Accounts between progress lines when not on a terminal"),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output")) -> None:
    """One personalised packet per account; bad rows are reported and skipped; resumable."""
    from contextlib import nullcontext

    from .brand.kit import load_kit, resolve_kit
    from .deliver.batch import run_batch
    from .deliver.executors import EXECUTORS, ExecutorLost
    from .deliver.progress import LineProgress, RichProgress
    from .deliver.publish import is_url
    from .model.study import load_study
    from .spec.errors import InputError

    _stages([stage])
    formats = _formats(fmt)
    if executor not in EXECUTORS:
        raise typer.BadParameter(f"unknown executor {executor!r}; valid: {', '.join(EXECUTORS)}", param_hint="--executor")
    if scheduler and executor != "dask":
        raise typer.BadParameter("--scheduler needs --executor dask", param_hint="--scheduler")
    view = (nullcontext() if quiet else RichProgress(f"{stage} packets") if sys.stderr.isatty()
            else LineProgress(every) if progress else nullcontext())
    try:
        analysis = load_study(spec)
        kit = load_kit(resolve_kit(brand, spec.parent))
        with view as shown:
            url = out if is_url(out) else None
            report = run_batch(analysis, kit, accounts, work if url else Path(out), stage=stage, formats=formats,
                               jobs=jobs, force=force, executor=executor, scheduler=scheduler, publish=url,
                               on_progress=shown.update if shown is not None else None, on_wait=_waiting)
    except InputError as exc:
        _fail(exc)
        return
    except ExecutorLost as exc:
        print(f"batch stopped: {exc}\nEvery account finished so far is in the ledger: run the same command again "
              "to resume.", file=sys.stderr)
        raise typer.Exit(EXIT_STOPPED) from None
    for err in sorted(report.failed, key=lambda e: e.number):
        print(for_terminal(f"{accounts}: {err}"), file=sys.stderr)
    print(f"{report.total} account(s): {report.built} built, {report.reused} already up to date, "
          f"{len(report.failed)} failed  → {f'{out} (ledger: {report.out_dir})' if is_url(out) else report.out_dir}")
    if not report.ok:
        raise typer.Exit(EXIT_INVALID)


accounts_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                           help="Make accounts files from CRM report exports (Salesforce, HubSpot).")


@accounts_app.command("import")
def accounts_import(export: Path = typer.Argument(..., exists=True, dir_okay=False, help="CRM report export (.csv)"),
                    mapping: Path = typer.Option(..., "--map", "-m", exists=True, dir_okay=False,
                                                 help="Column map YAML naming the export's columns"),
                    spec: Path = typer.Option(..., "--spec", exists=True, dir_okay=False,
                                              help="Study spec whose model lines the amounts belong to"),
                    out: Path | None = typer.Option(None, "--out", "-o", dir_okay=False,
                                                    help="Accounts CSV to write (default: <export>.accounts.csv)"),
                    as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON")) -> None:
    """Read EXPORT with --map into an accounts CSV for `batch` (bad rows reported by row number and left out)."""
    from .deliver.crm_import import describe, import_crm
    from .model.study import load_study
    from .spec.errors import InputError

    target = out or export.with_name(export.stem + ".accounts.csv")
    try:
        rep = import_crm(export, mapping, load_study(spec).spec, target)
    except InputError as exc:
        _fail(exc, as_json)
        return
    if as_json:
        print(json.dumps(rep.to_json(), ensure_ascii=False, indent=2))
        return
    for err in rep.bad:
        print(for_terminal(f"{export}: {err}"), file=sys.stderr)
    for line in describe(rep):
        print(for_terminal(line))


def _register_subcommands() -> None:
    from .preview.cli import register
    from .reviews.cli import reviews_app

    app.add_typer(reviews_app, name="reviews")
    app.add_typer(accounts_app, name="accounts")
    register(app)


_register_subcommands()


@app.callback()
def _options(debug: bool = typer.Option(False, "--debug", help="Show the Python traceback of an unexpected error "
                                                               "(accepted anywhere on the command line)")) -> None:
    """Build analyst-verified ROI deliverables (PDF, DOCX, PPTX) from YAML study specs."""


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; anything unexpected becomes a short message, never a bare traceback."""
    import signal

    from .failures import report_unexpected

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    # A terminated build cleans up its temporary files like an interrupted one.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        app(args=args, prog_name="roi-in-a-box")
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - the one place every failure is turned into a sentence
        sys.exit(report_unexpected(exc, debug=debug))
