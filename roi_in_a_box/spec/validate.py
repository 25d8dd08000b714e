"""Turn located YAML into a typed spec, translating pydantic errors into located problems."""

from __future__ import annotations

import difflib
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import InputError, Problem, short
from .yaml_source import Located, PathKey

M = TypeVar("M", bound=BaseModel)


def _walk(model: type[BaseModel], path: PathKey) -> tuple[PathKey, list[type[BaseModel]]]:
    """``path`` as written in the YAML (pydantic adds a discriminated union's tag, e.g.
    ``blocks.0.heading.grid``, which is not in the file) and the models valid at its end."""
    clean: list[str | int] = []
    current: Any = model
    for part in path:
        members = _models_in(current)
        if isinstance(part, str) and len(members) > 1:
            tagged = [m for m in members if _tag(m) == part]
            if tagged:
                current = tagged[0]
                continue
        clean.append(part)
        if isinstance(part, int):
            continue
        owner = next((m for m in members if part in m.model_fields), None)
        current = owner.model_fields[part].annotation if owner is not None else None
    return tuple(clean), _models_in(current)


def _tag(model: type[BaseModel]) -> str | None:
    """The value of a model's single-value ``Literal`` field (its discriminator tag), if any."""
    for f in model.model_fields.values():
        if get_origin(f.annotation) is Literal and len(get_args(f.annotation)) == 1:
            return str(get_args(f.annotation)[0])
    return None


def _other_members_with(model: type[BaseModel], raw: PathKey, key: str) -> list[str]:
    """When ``raw`` ends in ``<tag>.<key>`` of a discriminated union: the other tags whose model has ``key``."""
    if len(raw) < 2 or not isinstance(raw[-2], str):
        return []
    members = _walk(model, raw[:-2])[1]
    if raw[-2] not in [_tag(m) for m in members]:
        return []
    return [str(_tag(m)) for m in members if key in m.model_fields and _tag(m) != raw[-2]]


def _allowed_keys(model: type[BaseModel], path: PathKey) -> list[str]:
    """Field names valid at ``path`` (for 'did you mean'), walking the model's annotations."""
    members = _walk(model, path)[1]
    return list(members[0].model_fields) if len(members) == 1 else []


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models inside ``list[X]``, ``dict[K, X]``, ``X | None``, ``Annotated[A | B, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found += [m for m in _models_in(arg) if m not in found]
    return found


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
        raw: PathKey = tuple(err["loc"])
        path, _ = _walk(model, raw)
        if err["type"] == "union_tag_invalid":
            ctx = err.get("ctx") or {}
            name = str(ctx.get("discriminator", "")).strip("'")
            problems.append(located.problem((*path, name), f"unknown {name}", found=short(ctx.get("tag", "")),
                                            expected="one of " + str(ctx.get("expected_tags", "")), code="unknown-value"))
            continue
        if err["type"] == "extra_forbidden":
            key = str(path[-1])
            allowed = _allowed_keys(model, raw[:-1])
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "remove it"
            readers = _other_members_with(model, raw, key)
            if readers:
                hint = f"{raw[-2]} does not read it ({', '.join(readers)} {'does' if len(readers) == 1 else 'do'}); remove it"
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
