"""What the command groups (``cli``, ``preview.cli``, ``reviews.cli``) share: failing with
located problems and a clear exit status, and reading ``--stage`` and ``--format``."""

from __future__ import annotations

import json
import sys

import typer

from .text.clean import for_terminal

EXIT_INVALID = 1
EXIT_USAGE = 2


def fail(exc: Exception, as_json: bool = False) -> None:
    from .spec.errors import InputError

    if isinstance(exc, InputError):
        if as_json:
            print(json.dumps({"ok": False, "errors": [p.to_json() for p in exc.problems],
                              "warnings": [p.to_json() for p in exc.warnings]}, ensure_ascii=False, indent=2))
        else:
            for p in [*exc.problems, *exc.warnings]:
                print(for_terminal(str(p)), file=sys.stderr)
            print(f"{len(exc.problems)} error(s), {len(exc.warnings)} warning(s)", file=sys.stderr)
        usage = exc.problems and all(p.code == "usage" for p in exc.problems)  # e.g. an unknown --brand
        raise typer.Exit(EXIT_USAGE if usage else EXIT_INVALID)
    raise exc


def parse_stages(stage: list[str] | None) -> tuple[str, ...]:
    from .spec.stages import STAGES

    if not stage or "all" in stage:
        return STAGES
    bad = [s for s in stage if s not in STAGES]
    if bad:
        raise typer.BadParameter(f"unknown stage {bad[0]!r}; valid: {', '.join(STAGES)} or all", param_hint="--stage")
    return tuple(dict.fromkeys(stage))


def parse_formats(fmt: list[str] | None) -> tuple[str, ...] | None:
    from .render.registry import formats

    if not fmt:
        return None
    bad = [f for f in fmt if f not in formats()]
    if bad:
        raise typer.BadParameter(f"unknown format {bad[0]!r}; valid: {', '.join(formats())}", param_hint="--format")
    return tuple(dict.fromkeys(fmt))
