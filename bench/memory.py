"""Memory over a long batch: RSS of the batch's whole process tree, sampled against the
number of accounts finished (read from the ledger as it grows).

Run from the repo root:  .venv/bin/python bench/memory.py --accounts 100000 [--executor dask] [--jobs 2]
                          [--kill-worker-at 20000] [--samples /tmp/rss.tsv]

``--kill-worker-at N`` SIGKILLs one Dask worker process once N accounts are done (the
cluster's nanny starts another; the batch must still finish every packet once).

Prints a line per sample interval and, at the end, the RSS at 1,000 accounts, the highest
RSS after that, and their ratio (flat memory: within 10%).  The output folder is removed
afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.rss import tree_rss
from roi_in_a_box.deliver.make_accounts import write_accounts
from roi_in_a_box.model.study import load_study

SPEC = ROOT / "sample_inputs" / "ledgerly_en.yaml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--executor", default="process", choices=("process", "dask"))
    ap.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    ap.add_argument("--out", type=Path, default=None, help="folder for the accounts file and packets")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--kill-worker-at", type=int, default=0, help="Dask: kill a worker after this many accounts")
    ap.add_argument("--samples", type=Path, default=None, help="also write the samples here (tab-separated)")
    args = ap.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="roi-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / "accounts.csv"
    write_accounts(load_study(SPEC).spec, csv_path, args.accounts)
    out = work / "out"
    ledger = out / "ledgerly-close-2026" / "renewal" / "batch.jsonl"
    cmd = [sys.executable, "-m", "roi_in_a_box", "batch", str(SPEC), str(csv_path), "--stage", "renewal",
           "--format", "pdf", "-j", str(args.jobs), "--force", "-q", "--executor", args.executor, "--out", str(out)]
    samples: list[tuple[float, int, int, int]] = []  # seconds, accounts done, total RSS, largest process RSS
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, cwd=ROOT)
    stop = threading.Event()
    done = [0, 0]  # lines, bytes read so far

    def count() -> int:
        try:
            with ledger.open("rb") as fh:
                fh.seek(done[1])
                chunk = fh.read()
        except OSError:
            return done[0]
        cut = chunk.rfind(b"\n") + 1
        done[0] += chunk[:cut].count(b"\n")
        done[1] += cut
        return done[0]

    sink = args.samples.open("w", encoding="utf-8") if args.samples else None
    killed: list[int] = []

    def sample() -> None:
        while not stop.is_set():
            rss = tree_rss(proc.pid)
            if rss:
                samples.append((time.perf_counter() - t0, count(), sum(rss.values()), max(rss.values())))
                s = samples[-1]
                line = f"{s[0]:8.0f} s {s[1]:8d} accounts  RSS all {s[2] / 2**20:7.1f} MB  largest {s[3] / 2**20:7.1f} MB"
                print(line, flush=True)
                if sink:
                    sink.write("\t".join(map(str, (round(s[0]), s[1], s[2], s[3], len(rss)))) + "\n")
                    sink.flush()
                if args.kill_worker_at and not killed and s[1] >= args.kill_worker_at:
                    victim = next((p for p in sorted(rss) if "spawn_main" in _cmdline(p)), None)
                    if victim:
                        os.kill(victim, signal.SIGKILL)
                        killed.append(victim)
                        print(f"killed worker process {victim} at {s[1]:,} accounts", flush=True)
            stop.wait(args.every)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    stopped = []  # SIGTERM or Ctrl-C: stop the batch (its ledger resumes it) and report what was sampled

    def interrupt(*_: object) -> None:
        stopped.append(True)
        proc.terminate()  # SIGTERM: a background shell may have SIGINT ignored
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    code = proc.wait()
    elapsed = time.perf_counter() - t0
    stop.set()
    thread.join()
    if code and not stopped:
        sys.exit(f"batch exited {code}")
    finished = count()
    after = [s for s in samples if s[1] >= 1000]
    if not after:
        sys.exit("no sample past 1,000 accounts: use more accounts")
    base = after[0]
    for label, idx in (("all processes", 2), ("largest process", 3)):
        peak = max(s[idx] for s in after)
        print(f"{label}: RSS at {base[1]:,} accounts {base[idx] / 2**20:.1f} MB, highest after {peak / 2**20:.1f} MB "
              f"({100 * (peak / base[idx] - 1):+.1f}%)")
    if args.kill_worker_at:
        print(f"killed worker: {killed or 'none (run ended first)'}")
    what = f"stopped after {finished:,} of {args.accounts:,}" if stopped else f"{args.accounts:,}"
    print(f"{what} accounts with the {args.executor} executor, -j {args.jobs}: {elapsed:.0f} s, "
          f"{(finished if stopped else args.accounts) / elapsed:.1f} packets/s")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


if __name__ == "__main__":
    main()
