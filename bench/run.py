"""ROI-in-a-Box benchmark: engine vs raw-library floors and Typst, batch throughput, cold start.

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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import cold, floors, typst_side
from bench.rss import run_sampled
from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.account_stream import stream_accounts
from roi_in_a_box.deliver.make_accounts import write_accounts
from roi_in_a_box.deliver.pipeline import Job, render_one, vendor_logo
from roi_in_a_box.layout import engine
from roi_in_a_box.layout.notes import number_notes
from roi_in_a_box.model.account import realised
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


def batch(csv_path: Path, accounts: int, jobs: int, tmp: Path, executor: str,
          fmt: str = "pdf") -> tuple[float, float, float, float]:
    """The renewal batch as a user runs it (a fresh process: imports, study, accounts file,
    ledger and every file's accessibility check included): packets/s, seconds, and the
    peak RSS of the whole process tree and of its largest process, in MB.  ``fmt``: the
    PDF renewal packet, or the DOCX renewal summary."""
    cmd = [sys.executable, "-m", "roi_in_a_box", "batch", str(SPEC), str(csv_path), "--stage", "renewal",
           "--format", fmt, "-j", str(jobs), "--force", "-q", "--executor", executor,
           "--out", str(tmp / f"batch-{executor}-{fmt}")]
    elapsed, samples = run_sampled(cmd, stdout=subprocess.DEVNULL, cwd=ROOT)
    return accounts / elapsed, elapsed, samples.peak_total / 2**20, samples.peak_process / 2**20


def docx_packets(csv_path: Path, n: int, tmp: Path) -> float:
    """Median ms per DOCX renewal summary in one warm process (layout, fitting against the
    page model, the package, atomic write; no read-back check)."""
    analysis = load_study(SPEC)
    brand = load_kit(resolve_kit(None))
    logo = vendor_logo(analysis)
    accs = [acc for part in stream_accounts(csv_path, analysis.spec, 1024) for _, acc in part.good][:n + 3]
    times = []
    for i, acc in enumerate(accs):
        t0 = time.perf_counter()
        render_one(analysis, Job("renewal", "renewal_summary", "docx", tmp / "eng.docx"), brand, account=acc,
                   logo=logo, check=False)
        if i >= 3:
            times.append(time.perf_counter() - t0)
    return median_ms(times)


def account_trees(csv_path: Path, limit: int) -> list[str]:
    """The renewal packet tree the engine draws for each account (fitted), as JSON for Typst."""
    analysis = load_study(SPEC)
    brand = load_kit(resolve_kit(None))
    logo = vendor_logo(analysis)
    pdf = renderer_for("pdf")
    trees = []
    for part in stream_accounts(csv_path, analysis.spec, 1024):
        for _, acc in part.good:
            doc, _ = engine.build_document(analysis, "renewal_packet", brand, stage="renewal", account=acc,
                                           account_result=realised(analysis.spec, acc), vendor_logo=logo)
            doc, _, _ = engine.fit(doc, lambda d: pdf.count_pages(d, brand), finish=number_notes)
            trees.append(typst_side.tree_json(doc))
            if len(trees) == limit:
                return trees
    return trees


def packets_side_by_side(csv_path: Path, n: int, tmp: Path) -> tuple[float, float]:
    """Median ms per renewal packet in one warm process: the engine (layout, fitting, tagged
    PDF/UA + PDF/A render, atomic write; no read-back check) and Typst on the same fitted trees."""
    analysis = load_study(SPEC)
    brand = load_kit(resolve_kit(None))
    logo = vendor_logo(analysis)
    accs = [acc for part in stream_accounts(csv_path, analysis.spec, 1024) for _, acc in part.good][:n + 3]
    for acc in accs[:3]:
        render_one(analysis, Job("renewal", "renewal_packet", "pdf", tmp / "warm.pdf"), brand, account=acc,
                   logo=logo, check=False)
    eng = []
    for acc in accs[3:]:
        t0 = time.perf_counter()
        render_one(analysis, Job("renewal", "renewal_packet", "pdf", tmp / "eng.pdf"), brand, account=acc,
                   logo=logo, check=False)
        eng.append(time.perf_counter() - t0)
    typ = typst_side.per_document(account_trees(csv_path, n), font_dirs(), tmp)
    return median_ms(eng), median_ms(typ)


def font_dirs() -> list[str]:
    brand = load_kit(resolve_kit(None))
    return sorted({str(f.regular.parent) for f in brand.body.families()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=30, help="documents per format for the per-document medians")
    ap.add_argument("--accounts", type=int, default=1000, help="accounts in the renewal batch")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cold-runs", type=int, default=10)
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask executor's batch")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        rows = per_document(args.docs, tmp)
        tag_rows = tagging(args.docs, tmp)
        csv_path = tmp / "accounts.csv"
        write_accounts(load_study(SPEC).spec, csv_path, args.accounts)
        eng_packet, typst_packet = packets_side_by_side(csv_path, args.docs, tmp)
        docx_packet = docx_packets(csv_path, args.docs, tmp)
        trees = account_trees(csv_path, args.accounts)
        typst_rate = typst_side.pool(trees, font_dirs(), tmp, args.jobs)
        runs = [("process", batch(csv_path, args.accounts, args.jobs, tmp, "process"))]
        if not args.no_dask:
            runs.append(("dask", batch(csv_path, args.accounts, args.jobs, tmp, "dask")))
        docx_run = batch(csv_path, args.accounts, args.jobs, tmp, "process", "docx")
        build = ["build", str(SPEC), "--force", "--out", str(tmp / "cold")]
        cold_check = cold.median_seconds(["check", str(SPEC)], args.cold_runs)
        cold_pdf = cold.median_seconds([*build, "--layout", "one_pager", "--format", "pdf"], args.cold_runs)
        cold_stage = cold.median_seconds([*build, "--stage", "pre_sale"], args.cold_runs)
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
    print(f"Renewal packet, one warm process, median of {args.docs} accounts: engine {eng_packet:.1f} ms, "
          f"Typst on the same fitted trees {typst_packet:.1f} ms "
          f"({eng_packet / typst_packet:.2f}× Typst's time)")
    print()
    print(f"| renewal batch, {args.accounts} PDF packets, -j {args.jobs} | packets/s | seconds | "
          "peak RSS, all processes (MB) | peak RSS, largest process (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name, (rate, elapsed, total, largest) in runs:
        print(f"| engine, {name} executor | {rate:.0f} | {elapsed:.1f} | {total:.0f} | {largest:.0f} |")
    print(f"| Typst, {args.jobs} processes, compiler reused | {typst_rate:.0f} | {args.accounts / typst_rate:.1f} | | |")
    print()
    rate, elapsed, total, largest = docx_run
    print(f"DOCX renewal summaries: one warm process, median of {args.docs} accounts {docx_packet:.1f} ms; "
          f"batch of {args.accounts}, process pool -j {args.jobs}: {rate:.0f} packets/s ({elapsed:.1f} s, "
          f"peak RSS {total:.0f} MB all processes, {largest:.0f} MB largest)")
    print()
    print(f"Cold start (fresh process after a warm-up run, bench/cold.py, median of {args.cold_runs}): "
          f"`check` {cold_check:.2f} s; "
          f"`build` one-pager PDF {cold_pdf:.2f} s; whole pre-sale stage (PDF + DOCX + PPTX) {cold_stage:.2f} s")


if __name__ == "__main__":
    main()
