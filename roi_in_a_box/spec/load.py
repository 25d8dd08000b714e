"""Load a study spec file: safe YAML → typed spec → evidence rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem
from .rules import check_rules
from .schema import StudySpec
from .validate import parse_model
from .yaml_source import Located, load_file


@dataclass(frozen=True)
class LoadedSpec:
    path: Path
    spec: StudySpec
    located: Located
    warnings: tuple[Problem, ...]


def load_spec(path: Path) -> LoadedSpec:
    """Parse and check ``path``; raise ``InputError`` listing every error (warnings attached)."""
    located = load_file(path)
    spec = parse_model(located, StudySpec)
    problems = [*located.cleaned, *check_rules(spec, located)]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(problems)
    return LoadedSpec(path, spec, located, tuple(problems))
