"""Turn located YAML into a typed spec, translating pydantic errors into located problems."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import InputError, Problem, short
from .yaml_source import Located, PathKey

M = TypeVar("M", bound=BaseModel)


def _allowed_keys(model: type[BaseModel], path: PathKey) -> list[str]:
    """Field names valid at ``path`` (for 'did you mean'), walking the model's annotations."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        current = _model_in(fields[part].annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``list[X]``, ``dict[K, X]``, ``X | None``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _expected(err: ErrorDetails) -> str:
    ctx = err.get("ctx") or {}
    kind = err["type"]
    if kind == "literal_error":
        return "one of " + str(ctx.get("expected", ""))
    if kind == "string_pattern_mismatch":
        return f"text matching {ctx.get('pattern')}"
    if kind in ("string_too_long", "too_long"):
        return f"at most {ctx.get('max_length')} {'characters' if 'string' in kind else 'items'}"
    if kind in ("string_too_short", "too_short"):
        return f"at least {ctx.get('min_length')} {'characters' if 'string' in kind else 'items'}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        return f"a number {op} {next(iter(ctx.values()))}"
    if kind == "missing":
        return "this field to be present"
    if kind.startswith(("date", "datetime")):
        return "a date written YYYY-MM-DD"
    if kind.startswith(("decimal", "float", "int")):
        return "a number"
    if kind.startswith("bool"):
        return "true or false"
    if kind in ("dict_type", "model_type"):
        return "a mapping of keys to values"
    if kind == "list_type":
        return "a list"
    if kind == "string_type":
        return "text"
    return ""


def to_problems(located: Located, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        path: PathKey = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            key = str(path[-1])
            allowed = _allowed_keys(model, path[:-1])
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "remove it"
            problems.append(located.problem(path, f"unknown key, {hint}", found=short(key),
                                            expected="one of " + ", ".join(allowed) if allowed else "",
                                            key=True, code="unknown-key"))
            continue
        if err["type"] == "missing":
            problems.append(located.problem(path[:-1], f"missing required field '{path[-1]}'",
                                            expected=_expected(err), code="missing", key=True))
            continue
        value = err.get("input")
        found = "" if isinstance(value, (dict, list)) else short(value)
        problems.append(located.problem(path, err["msg"], found=found, expected=_expected(err),
                                        code=err["type"]))
    return problems


def parse_model(located: Located, model: type[M]) -> M:
    """Validate located data against ``model``; raise every located problem at once."""
    if not isinstance(located.data, dict):
        raise InputError([located.problem((), "the file must be a mapping of sections",
                                          found=type(located.data).__name__, expected="key: value pairs",
                                          code="shape")])
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        raise InputError(to_problems(located, model, exc)) from None
