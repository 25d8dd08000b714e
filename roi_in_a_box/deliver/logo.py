"""The spec's vendor logo, found and checked as every build uses it.

Apart from the pipeline so that ``check`` (which refuses a bad logo as a build would)
does not import the layout engine and the renderers.
"""

from __future__ import annotations

from pathlib import Path

from ..brand.images import MAX_BYTES as MAX_IMAGE_BYTES
from ..brand.images import ImageError, check_image, clean_image
from ..brand.kit_files import KitFileError, contained_file
from ..model.study import Analysis
from ..spec.errors import InputError


def vendor_logo(analysis: Analysis) -> Path | None:
    """The spec's vendor logo, resolved inside the spec's folder and checked."""
    name = analysis.spec.vendor.logo
    if not name:
        return None
    try:
        path = contained_file(analysis.loaded.path.parent, name, MAX_IMAGE_BYTES)
        check_image(path)
        return clean_image(path)
    except (ImageError, KitFileError) as exc:
        raise InputError([analysis.loaded.located.problem(("vendor", "logo"), f"logo cannot be used: {exc}",
                                                          found=repr(name), expected="a PNG or JPEG next to the spec",
                                                          code="file")]) from None
