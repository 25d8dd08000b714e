"""Package list for setuptools: every package under roi_in_a_box/ plus the data packages
that live at the top of the repo (layouts/ and each kit in brand_kits/; pyproject.toml maps
them under roi_in_a_box, so a wheel installed anywhere carries them)."""

from pathlib import Path

from setuptools import find_packages, setup

KITS = sorted(p.name for p in Path(__file__).parent.joinpath("brand_kits").iterdir() if (p / "brand.yaml").is_file())
DATA = ["roi_in_a_box.layouts", "roi_in_a_box.brand_kits"] + [f"roi_in_a_box.brand_kits.{k}" for k in KITS]

setup(packages=find_packages(include=["roi_in_a_box", "roi_in_a_box.*"]) + DATA,
      package_data={"roi_in_a_box": ["py.typed", "scaffold/*"], "roi_in_a_box.layouts": ["*.yaml"],
                    **{f"roi_in_a_box.brand_kits.{k}": ["*"] for k in KITS}})
