"""The ``roi-in-a-box`` command.

Exit status: 0 ok, 1 invalid input (every problem printed, located), 2 usage.
Heavy libraries are imported inside commands so ``--help`` and ``check`` start fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                  help="Build analyst-verified ROI deliverables (PDF, DOCX, PPTX) from YAML study specs.")

EXIT_INVALID = 1

SpecArg = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="Study spec (YAML)")


def _fail(exc: Exception, as_json: bool = False) -> None:
    from .spec.errors import InputError

    if isinstance(exc, InputError):
        if as_json:
            print(json.dumps({"ok": False, "errors": [p.to_json() for p in exc.problems],
                              "warnings": [p.to_json() for p in exc.warnings]}, ensure_ascii=False, indent=2))
        else:
            for p in exc.problems:
                print(str(p), file=sys.stderr)
            for p in exc.warnings:
                print(str(p), file=sys.stderr)
            print(f"{len(exc.problems)} error(s), {len(exc.warnings)} warning(s)", file=sys.stderr)
        raise typer.Exit(EXIT_INVALID)
    raise exc


@app.command()
def check(spec: Path = SpecArg,
          as_json: bool = typer.Option(False, "--json", help="Print the summary or the errors as JSON")) -> None:
    """Validate a study spec and print its ROI figures, zone, evidence coverage and warnings."""
    from .model.study import load_study
    from .model.summary import summary_json, summary_text
    from .spec.errors import InputError

    try:
        analysis = load_study(spec)
    except InputError as exc:
        _fail(exc, as_json)
        return
    if as_json:
        print(json.dumps(summary_json(analysis), ensure_ascii=False, indent=2))
    else:
        print(summary_text(analysis))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the study spec (for editor completion and checking)."""
    from .spec.schema import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    app()
