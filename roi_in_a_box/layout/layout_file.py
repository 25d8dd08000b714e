"""Layout files (``layouts/<name>.yaml``): which blocks a document has, in what order.

A layout names components (``stat_tiles``, ``value_props``, ``roi_table`` ...) that
``components.py`` expands from the study, plus static text blocks whose text fields
are Jinja templates.  Errors name the layout file, line and field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..bundled import LAYOUTS_DIR
from ..spec.errors import InputError
from ..spec.schema import Strict
from ..spec.validate import parse_model
from ..spec.yaml_source import Located, load_file

Text = Annotated[str, StringConstraints(max_length=2000)]
Format = Literal["pdf", "docx", "pptx"]
Component = Literal[
    "logo", "heading", "paragraph", "callout", "footnotes", "stat_tiles", "use_case_cards", "value_props",
    "quotes", "framework", "roi_table", "chart", "methodology", "call_to_action", "case_study",
    "attribution", "account_results", "use_cases_not_adopted", "columns", "bullets", "milestones", "analyst_frame", "value_over_time",
]


class BlockSpec(Strict):
    """One block of a layout; which fields apply depends on ``component``."""

    component: Component
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,40}$")] | None = None
    priority: int = Field(0, ge=0, le=9, description="0 = required; higher numbers are dropped first when fitting")
    text: Text | None = None
    title: Text | None = None
    level: int = Field(1, ge=0, le=3)
    style: Literal["body", "lead", "small"] = "body"
    items: list[Text] = Field(default_factory=list, max_length=20)
    select: list[str] = Field(default_factory=list, max_length=20, description="Ids to show, in order")
    limit: int = Field(4, ge=1, le=12)
    max_chars: int = Field(0, ge=0, le=1200, description="Cut quotes at a sentence boundary beyond this (0: policy)")
    kind: Literal["bar", "waterfall", "payback"] = "bar"
    match_account: bool = Field(False, description="Prefer quotes from the account's segment and industry")
    figures: Literal["study", "account"] = Field(
        "study", description="stat_tiles, chart: 'account' shows the account's realised figures (its own metrics "
                             "through the study's model) when it has metrics, else the study's")
    grid: bool = Field(False, description="value_props: one column per value prop instead of a stack")
    brief: bool = Field(False, description="use_case_cards: titles and types only; value_props: shorter quotes; "
                                             "methodology: the essentials only")
    weights: list[float] = Field(default_factory=list, max_length=4)
    columns: list[list["BlockSpec"]] = Field(default_factory=list, max_length=4)


class PageSpec(Strict):
    title: Text = ""
    slide_layout: Annotated[str, StringConstraints(max_length=60)] = ""
    notes: Text = ""
    blocks: list[BlockSpec] = Field(min_length=1, max_length=40)


class LayoutSpec(Strict):
    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
    description: Text = ""
    formats: list[Format] = Field(min_length=1, description="Default formats this layout renders to")
    page_size: Literal["letter", "a4", "16:9"] = "letter"
    margins: list[float] = Field(default_factory=lambda: [36.0, 36.0, 36.0, 36.0], min_length=4, max_length=4)
    max_pages: int = Field(2, ge=1, le=40)
    title: Text = "{{ study.title }}"
    pages: list[PageSpec] = Field(min_length=1, max_length=40)


@lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int) -> tuple[LayoutSpec, Located]:
    located = load_file(path, display=str(path))
    return parse_model(located, LayoutSpec), located


def layout_path(name_or_path: str, study_dir: Path | None = None) -> Path:
    """Where a layout lives: a ``.yaml`` path as given; a name in the study folder's own
    ``layouts/`` first (so an analyst's layouts need no access to the installed package),
    then among the bundled layouts."""
    path = Path(name_or_path)
    if path.suffix:
        return path
    own = study_dir / "layouts" / f"{name_or_path}.yaml" if study_dir is not None else None
    return own if own is not None and own.is_file() else LAYOUTS_DIR / f"{name_or_path}.yaml"


def load_layout(name_or_path: str, study_dir: Path | None = None) -> tuple[LayoutSpec, Located]:
    """A layout by name or path (see ``layout_path``); parsed once per process."""
    path = layout_path(name_or_path, study_dir)
    if not path.is_file():
        names = {p.stem for p in LAYOUTS_DIR.glob("*.yaml")}
        if study_dir is not None:
            names |= {p.stem for p in (study_dir / "layouts").glob("*.yaml")}
        from ..spec.errors import Problem

        raise InputError([Problem(str(path), 1, 1, "layout", "no such layout", found=repr(name_or_path),
                                  expected="one of " + ", ".join(sorted(names - {"stages"})), code="usage")])
    return _load(path.resolve(), path.stat().st_mtime_ns)
