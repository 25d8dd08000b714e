"""ROI-in-a-Box benchmark: engine vs raw-library floors, batch throughput, cold start.

Run from the repo root:  .venv/bin/python bench/run.py [--docs 30] [--accounts 1000] [--jobs 2]

Everything is measured in this one run, interleaved, and reported as medians and
ratios, because the machine is shared and noisy.  Nothing here is a test: tests never
time anything.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import floors
from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.make_accounts import write_accounts
from roi_in_a_box.deliver.pipeline import Job, render_one, vendor_logo
from roi_in_a_box.model.study import load_study
from roi_in_a_box.render.pdf.text import clear_caches
from roi_in_a_box.render.registry import renderer_for

SPEC = ROOT / "sample_inputs" / "ledgerly_en.yaml"
LAYOUTS = Path(__file__).resolve().parent / "layouts"
# The engine renders layouts holding the same content as the hand-written floors.
FORMATS = (("pdf", str(LAYOUTS / "flow.yaml"), "reportlab"), ("docx", str(LAYOUTS / "flow.yaml"), "python-docx"),
           ("pptx", str(LAYOUTS / "slides.yaml"), "python-pptx"))


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def per_document(n: int, tmp: Path) -> list[tuple[str, str, float, float]]:
    analysis = load_study(SPEC)
    brand = load_kit(resolve_kit(None))
    logo = vendor_logo(analysis)
    content = floors.content(analysis)
    lato = brand.body.by_script["latin"]
    floor_fns = {
        "pdf": lambda out: floors.reportlab_doc(content, out, lato.regular, lato.bold),
        "docx": lambda out: floors.docx_doc(content, out),
        "pptx": lambda out: floors.pptx_doc(content, out),
    }
    rows = []
    for fmt, layout, lib in FORMATS:
        job = Job("pre_sale", layout, fmt, tmp / f"engine.{fmt}")
        for _ in range(3):  # warm both: fonts, templates, caches, imports
            render_one(analysis, job, brand, logo=logo)
            floor_fns[fmt](tmp / f"floor.{fmt}")
        gc.collect()
        eng, raw = [], []
        for _ in range(n):
            t0 = time.perf_counter()
            floor_fns[fmt](tmp / f"floor.{fmt}")
            t1 = time.perf_counter()
            render_one(analysis, job, brand, logo=logo)
            t2 = time.perf_counter()
            raw.append(t1 - t0)
            eng.append(t2 - t1)
        rows.append((fmt, lib, median_ms(eng), median_ms(raw)))
        if fmt == "pdf":  # the same again, every paragraph set and shaped from scratch
            eng, raw = [], []
            for _ in range(n):
                t0 = time.perf_counter()
                floor_fns[fmt](tmp / f"floor.{fmt}")
                t1 = time.perf_counter()
                clear_caches()
                render_one(analysis, job, brand, logo=logo)
                t2 = time.perf_counter()
                raw.append(t1 - t0)
                eng.append(t2 - t1)
            rows.append(("pdf, text caches cleared per doc", lib, median_ms(eng), median_ms(raw)))
    return rows


def tagging(n: int, tmp: Path) -> list[tuple[str, float, float]]:
    """PDF render time tagged (structure tree, marked content, PDF/UA + PDF/A objects via
    pikepdf) and untagged, interleaved: what accessibility and archiving cost."""
    analysis = load_study(SPEC)
    brand = load_kit(resolve_kit(None))
    logo = vendor_logo(analysis)
    renderer = renderer_for("pdf")
    rows = []
    for name, layout in (("flow (bench)", str(LAYOUTS / "flow.yaml")), ("one_pager", "one_pager"),
                         ("renewal_packet", "renewal_packet")):
        job = Job("renewal" if "renewal" in name else "pre_sale", layout, "pdf", tmp / f"tag-{name}.pdf")
        times: dict[bool, list[float]] = {True: [], False: []}
        try:
            for i in range(n + 3):
                for tagged in (False, True):
                    renderer.tagged = tagged  # type: ignore[attr-defined]
                    t0 = time.perf_counter()
                    render_one(analysis, job, brand, logo=logo, check=False)
                    if i >= 3:
                        times[tagged].append(time.perf_counter() - t0)
        finally:
            renderer.tagged = True  # type: ignore[attr-defined]
        rows.append((name, median_ms(times[False]), median_ms(times[True])))
    return rows


def batch(accounts: int, jobs: int, tmp: Path) -> tuple[float, float, float]:
    analysis = load_study(SPEC)
    csv_path = tmp / "accounts.csv"
    write_accounts(analysis.spec, csv_path, accounts)
    cmd = [sys.executable, "-m", "roi_in_a_box", "batch", str(SPEC), str(csv_path), "--stage", "renewal",
           "--format", "pdf", "-j", str(jobs), "--force", "-q", "--out", str(tmp / "batch")]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return accounts / elapsed, elapsed, peak_kb / 1024


def cold(runs: int, tmp: Path, args: list[str]) -> float:
    times = []
    for i in range(runs):
        cmd = [sys.executable, "-m", "roi_in_a_box", "build", str(SPEC), *args, "--force", "--out", str(tmp / f"cold{i}")]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=30, help="documents per format for the per-document medians")
    ap.add_argument("--accounts", type=int, default=1000, help="accounts in the renewal batch")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cold-runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        rows = per_document(args.docs, tmp)
        tag_rows = tagging(args.docs, tmp)
        rate, elapsed, peak = batch(args.accounts, args.jobs, tmp)
        cold_pdf = cold(args.cold_runs, tmp, ["--layout", "one_pager", "--format", "pdf"])
        cold_stage = cold(args.cold_runs, tmp, ["--stage", "pre_sale"])
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"Medians of {args.docs} documents per format, engine and raw floor interleaved in one process; "
          "the engine renders bench/layouts/*.yaml, the same content as bench/floors.py.\n")
    print("| format | engine ms/doc | raw-library floor ms/doc | ratio |")
    print("|---|---:|---:|---:|")
    for fmt, lib, eng, raw in rows:
        print(f"| {fmt} ({lib}) | {eng:.1f} | {raw:.1f} | {eng / raw:.2f}× |")
    print()
    print("| PDF layout | untagged ms/doc | tagged PDF/UA-1 + PDF/A-2a ms/doc | tagging adds |")
    print("|---|---:|---:|---:|")
    for name, plain, tagged in tag_rows:
        print(f"| {name} | {plain:.1f} | {tagged:.1f} | {100 * (tagged / plain - 1):+.0f}% |")
    print()
    print(f"Renewal batch: {args.accounts} PDF packets with -j {args.jobs}: {elapsed:.1f} s, "
          f"{rate:.0f} packets/s, peak RSS of one process {peak:.0f} MB")
    print(f"Cold `roi-in-a-box build` (fresh process, median of {args.cold_runs}): one-pager PDF {cold_pdf:.2f} s; "
          f"whole pre-sale stage (PDF + DOCX + PPTX) {cold_stage:.2f} s")


if __name__ == "__main__":
    main()
