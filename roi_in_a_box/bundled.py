"""Where the layouts and brand kits that ship with the package live.

They are package data (``roi_in_a_box.layouts``, ``roi_in_a_box.brand_kits``, mapped from
the repo's top-level folders), found through importlib.resources so that a wheel
installed anywhere, an editable install and a source checkout all find them.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(package: str, checkout_name: str) -> Path:
    """The package's folder on disk (the engine reads these files by path: fonts, templates);
    in a source checkout run without installing (``PYTHONPATH=.``), the repo's own folder."""
    try:
        return Path(str(files(package)))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[1] / checkout_name


LAYOUTS_DIR = _folder("roi_in_a_box.layouts", "layouts")
KITS_DIR = _folder("roi_in_a_box.brand_kits", "brand_kits")
