"""Journey stage recipes (``layouts/stages.yaml``): which documents each stage gets."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field

from ..bundled import LAYOUTS_DIR
from ..layout.layout_file import Format
from ..spec.schema import Strict
from ..spec.stages import STAGES, Stage
from ..spec.validate import parse_model
from ..spec.yaml_source import load_file


class DocumentRecipe(Strict):
    layout: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    formats: list[Format] = Field(min_length=1)


class StageRecipe(Strict):
    description: str = ""
    documents: list[DocumentRecipe] = Field(min_length=1)


class Recipes(Strict):
    pre_sale: StageRecipe
    onboarding: StageRecipe
    service: StageRecipe
    renewal: StageRecipe

    def stage(self, name: Stage) -> StageRecipe:
        return getattr(self, name)


def recipes_path() -> Path:
    return LAYOUTS_DIR / "stages.yaml"


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> Recipes:
    return parse_model(load_file(path), Recipes)


def load_recipes() -> Recipes:
    path = recipes_path()
    return _load(path, path.stat().st_mtime_ns)


def stages_using(layout: str) -> tuple[str, ...]:
    """The stages whose recipe includes ``layout`` (a name or a layout file), so that
    ``build --layout case_study`` writes it once, where it belongs; a layout no recipe
    uses is built as pre-sale material."""
    recipes, name = load_recipes(), Path(layout).stem
    found = tuple(s for s in STAGES if any(d.layout == name for d in recipes.stage(s).documents))
    return found or STAGES[:1]
