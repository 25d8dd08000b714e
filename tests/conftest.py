"""Shared test set-up: the test lanes (markers) and the system tools the tests read outputs back with.

Lanes: ``office`` (LibreOffice converts DOCX/PPTX), ``browser`` (the gallery in headless
Chromium), ``slow`` (long generated or whole-corpus runs). The fast unit lane is
``pytest -m "not office and not browser and not slow"``; CI runs everything.

A test that needs a system tool which is missing is skipped with the tool and its Debian
package named; under CI (``CI=true``) it fails instead, so a missing install step cannot
pass as green. ``tools/test.sh`` installs the tools where it can.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


def _system_tools() -> dict[str, str]:
    """command -> Debian package(s), from tools/system-packages.txt (shared with tools/test.sh)."""
    listing = Path(__file__).resolve().parents[1] / "tools" / "system-packages.txt"
    rows = (line.split("\t", 1) for line in listing.read_text("utf-8").splitlines() if line and line[0] != "#")
    return {cmd: pkgs.strip() for cmd, pkgs in rows}


SYSTEM_TOOLS = _system_tools()
LANE_TOOLS = {"office": ("soffice", "pdftoppm"), "browser": ("chromium", "chromedriver")}
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "office: converts DOCX/PPTX with LibreOffice (soffice)")
    config.addinivalue_line("markers", "browser: drives headless Chromium through chromedriver")
    config.addinivalue_line("markers", "slow: long runs (whole corpora, many generated examples)")
    config.addinivalue_line("markers", "needs(*tools): the system commands the test runs")


def missing_tools(tools: tuple[str, ...]) -> list[str]:
    """The commands (or, for a /path, files) of ``tools`` that are not there."""
    return [t for t in tools if not (os.path.exists(t) if t.startswith("/") else shutil.which(t))]


def _describe(missing: list[str]) -> str:
    return "missing system tool(s): " + ", ".join(f"{t} (Debian: {SYSTEM_TOOLS.get(t, '?')})" for t in missing)


def pytest_report_header(config: pytest.Config) -> str:
    missing = missing_tools(tuple(SYSTEM_TOOLS))
    return _describe(missing) + " - tests that need them are " + ("failed (CI)" if IN_CI else "skipped") \
        if missing else "system tools: all present"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        tools: tuple[str, ...] = ()
        for lane, lane_tools in LANE_TOOLS.items():
            if item.get_closest_marker(lane):
                tools += lane_tools
        for mark in item.iter_markers("needs"):
            tools += tuple(mark.args)
        missing = missing_tools(tools)
        if missing and not IN_CI:
            item.add_marker(pytest.mark.skip(reason=_describe(missing)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test that runs a missing tool unannounced still gets a sentence, not a FileNotFoundError."""
    try:
        return (yield)
    except FileNotFoundError as exc:
        tool = os.path.basename(str(exc.filename or ""))
        if tool not in SYSTEM_TOOLS:
            raise
        if IN_CI:
            pytest.fail(_describe([tool]), pytrace=False)
        pytest.skip(_describe([tool]))


@pytest.fixture(scope="module")
def analysis():  # type: ignore[no-untyped-def]
    """The English sample, analysed once per module (the batch and build tests' study)."""
    from roi_in_a_box.model.study import load_study

    return load_study(Path(__file__).resolve().parents[1] / "sample_inputs" / "ledgerly_en.yaml")


@pytest.fixture(scope="module")
def kit():  # type: ignore[no-untyped-def]
    """The default brand kit; a module may define its own ``kit``."""
    from roi_in_a_box.brand.kit import load_kit, resolve_kit

    return load_kit(resolve_kit(None))
