"""The wheel works outside the checkout: layouts and kits travel as package data.

Builds the wheel from this checkout, installs it into a fresh venv in a temporary folder
(its dependencies come from the test venv through a path entry, so nothing is downloaded),
and builds every sample from a folder that shares nothing with the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("ledgerly_en", "ghatbox_bn", "shiftsabai_th")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(work / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((work / "dist").glob("roi_in_a_box-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # The dependencies, not the engine: a plain path entry does not run the test venv's .pth
    # files, so its editable install of the checkout stays out.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    return env_dir


@pytest.mark.slow
def test_installed_wheel_builds_every_sample_away_from_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import roi_in_a_box.bundled as b; print(b.__file__); print(b.LAYOUTS_DIR); print(b.KITS_DIR)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout.split()
    assert all(str(installed) in p for p in where), where          # the wheel's own copy, not the checkout
    assert (Path(where[1]) / "stages.yaml").is_file() and (Path(where[2]) / "meridian" / "template.pptx").is_file()
    study = tmp_path / "study"
    shutil.copytree(ROOT / "sample_inputs", study, ignore=shutil.ignore_patterns("invalid", "reviews"))
    for name in SAMPLES:
        run = subprocess.run([str(installed / "bin" / "roi-in-a-box"), "build", f"study/{name}.yaml", "--out", "out",
                              "--brand", "meridian" if name == "ledgerly_en" else "northbeam"],
                             capture_output=True, text=True, cwd=tmp_path)
        assert run.returncode == 0, run.stderr[-2000:]
        assert "Traceback" not in run.stderr
    outputs = sorted(p.suffix for p in (tmp_path / "out").rglob("*") if p.suffix in (".pdf", ".docx", ".pptx"))
    assert outputs.count(".pdf") >= 9 and outputs.count(".docx") >= 6 and outputs.count(".pptx") >= 6


def test_wheel_lists_package_data(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    layouts = {Path(n).name for n in names if n.startswith("roi_in_a_box/layouts/")}
    assert {f"{p.name}" for p in (ROOT / "layouts").glob("*.yaml")} <= layouts
    for kit in (p for p in (ROOT / "brand_kits").iterdir() if (p / "brand.yaml").is_file()):
        for f in kit.iterdir():
            assert f"roi_in_a_box/brand_kits/{kit.name}/{f.name}" in names
    assert "roi_in_a_box/scaffold/study.yaml" in names
