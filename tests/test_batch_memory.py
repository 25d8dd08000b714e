"""Memory flat to the end of a batch: per-account entries never pile up in the caches.

A batch warms the study-level content, then seals every dict cache (:mod:`roi_in_a_box.caches`):
the study's entries stay for good, each account's own words, names and figures only get a
small young allowance.  So what one worker retains stops growing after the first accounts.
"""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest

from roi_in_a_box import caches
from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.batch import run_batch
from roi_in_a_box.deliver.make_accounts import write_accounts
from roi_in_a_box.deliver.progress import Progress
from roi_in_a_box.model.study import load_study

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"


def test_a_sealed_cache_keeps_its_entries_and_cycles_the_young_ones() -> None:
    c: caches.NamedCache[int, int] = caches.NamedCache("test.sealed", 1000, young=3)
    try:
        for i in range(5):
            c[i] = i
        c.seal()
        for i in range(5, 5 + 3):
            c[i] = i
        assert sorted(c) == list(range(8))
        c[8] = 8  # the young allowance is full: the young go, the sealed stay
        assert sorted(c) == [0, 1, 2, 3, 4, 8]
        c[0] = 10  # overwriting a sealed key is not a new entry
        assert len(c) == 6 and c[0] == 10
        c.unseal()
        for i in range(100, 200):
            c[i] = i
        assert len(c) == 106  # unsealed: only the cap bounds it again
    finally:
        del caches._REGISTRY["test.sealed"]


def test_a_batch_unseals_the_caches_when_it_ends(tmp_path: Path) -> None:
    analysis = load_study(EN)
    accounts = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, accounts, 3)
    seen: list[bool] = []
    from roi_in_a_box.render.pdf import text  # registers the PDF caches

    shaped = text._SHAPE_CACHE
    assert isinstance(shaped, caches.NamedCache)
    run_batch(analysis, load_kit(resolve_kit(None)), accounts, tmp_path / "out", formats=("pdf",), jobs=1,
              on_progress=lambda p: seen.append(shaped._sealed is not None))
    assert any(seen) and shaped._sealed is None


@pytest.mark.slow
def test_one_worker_retains_no_more_after_account_100_than_a_young_allowance(tmp_path: Path) -> None:
    """300 accounts in this process (one worker, the real batch path): Python memory still
    held at account 300 that was allocated after account 100 stays under a bound that full
    young allowances fit in.  Measured: 1.8 MB sealed; 5.1 MB with the caches left unsealed
    (paragraphs, shaped words, widths and glyph checks of every account, growing on)."""
    analysis = load_study(EN)
    accounts = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, accounts, 300)
    held: list[int] = []

    def mark(p: Progress) -> None:
        if p.done >= 100 and not tracemalloc.is_tracing() and not held:
            gc.collect()
            tracemalloc.start(1)
        elif p.done >= 300 and tracemalloc.is_tracing():
            gc.collect()
            held.append(tracemalloc.get_traced_memory()[0])
            tracemalloc.stop()

    try:
        report = run_batch(analysis, load_kit(resolve_kit(None)), accounts, tmp_path / "out", formats=("pdf",),
                           jobs=1, on_progress=mark)
    finally:
        tracemalloc.stop()
    assert report.built == 300 and not report.failed
    assert held and held[0] < BOUND, f"{held[0] / 2**20:.2f} MB retained between accounts 100 and 300"


BOUND = 3_000_000


def test_ids_past_the_dict_go_to_disk_and_duplicates_are_still_found(tmp_path: Path) -> None:
    from roi_in_a_box.deliver.account_stream import stream_accounts
    from roi_in_a_box.deliver.seen_ids import SeenIds

    seen = SeenIds(in_memory=4)
    for i in range(10):
        seen.add(f"a{i}", i + 2)
    assert len(seen._recent) < 4 and seen._db is not None  # most ids are in the table now
    assert [seen.get(f"a{i}") for i in (0, 5, 9)] == [2, 7, 11] and seen.get("a10") is None
    seen.close()

    analysis = load_study(EN)
    accounts = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, accounts, 5000)
    lines = accounts.read_text(encoding="utf-8").splitlines(keepends=True)
    with accounts.open("a", encoding="utf-8") as fh:
        fh.write(lines[2])  # acct-00002 again, 4,999 rows (and a spill) later
    bad = [e for part in stream_accounts(accounts, analysis.spec, 1024) for e in part.bad]
    assert [(e.number, e.account) for e in bad] == [(5001, "acct-00002")]
    assert "already used in row 2" in bad[0].reason
