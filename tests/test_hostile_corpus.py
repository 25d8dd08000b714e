"""The hostile corpus, run the way users run the tool: each case is a subprocess under a
memory limit and a timeout (tests/hostile_helpers.py), through `check`, `build` (every
format), `batch` and `reviews import`.  For every case: no traceback, the documented exit
status, a located message, no file written outside --out, and none half-written.

Large inputs are generated under tmp_path.  Layout-file cases go through the layout
engine in a subprocess too, since `--layout` only takes names from layouts/.
"""

from __future__ import annotations

import re

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.hostile_helpers import (ROOT, SAMPLE, Run, _limit, assert_clean_failure, assert_no_partial_files,
                                   layout_with, run_cli, sample_copy, snapshot)

pytestmark = pytest.mark.slow  # the whole corpus: about a minute of subprocesses

ALL_FORMATS = ("--format", "pdf", "--format", "docx", "--format", "pptx")
REVIEWS = ROOT / "sample_inputs" / "reviews"
Case = Callable[[Path], tuple[list[str | Path], int, str]]  # (arguments after the command, exit, located text)


def _spec(edit: Callable[[str], str]) -> Callable[[Path], Path]:
    return lambda tmp: sample_copy(tmp, edit)


def _raw(content: bytes, name: str = "spec.yaml") -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        (tmp / name).write_bytes(content)
        return tmp / name
    return make


def _fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "spec.yaml")
    return tmp / "spec.yaml"


SPECS: dict[str, tuple[Callable[[Path], Path], int, str]] = {
    "alias bomb": (lambda tmp: Path(shutil.copy(ROOT / "sample_inputs/invalid/alias_bomb.yaml", tmp)), 1, ":"),
    "deep nesting": (_raw(b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n"), 1, "nesting is too deep"),
    "python tag": (_raw(b"study: !!python/object/apply:os.system ['echo hi']\n"), 1, "spec.yaml:1:"),
    "not utf-8": (_raw(b"study:\n  title: caf\xe9\n"), 1, "spec.yaml:2:1: error"),
    "too large": (_raw(b"# " + b"x" * 1_100_000 + b"\n"), 1, "too large"),
    "fifo": (_fifo, 1, "not a regular file"),
    "empty": (_raw(b""), 1, "spec.yaml:1:1"),
    "nul bytes": (_raw(b"study:\n  title: a\x00b\n"), 1, "spec.yaml:"),
    "windows id": (_spec(lambda s: s.replace("id: ledgerly-close-2026", "id: nul", 1)), 1, "study.id"),
    "control chars": (_spec(lambda s: s.replace("publisher: ", 'publisher: "A\\x07\\x1b[2J\\u202e" #', 1)
                            .replace("\n  name: ", '\n  name: "V\\x00\\x08" #', 1)), 0, ""),
    "jinja in data": (_spec(lambda s: s.replace("\n  name: ", '\n  name: "{{ 7*7 }}{% include x %}" #', 1)), 0, ""),
    "markup in data": (_spec(lambda s: s.replace("\n  name: ", '\n  name: "<w:p/>]]>&amp;<b>" #', 1)), 0, ""),
    "surrogate escape": (_spec(lambda s: s.replace("\n  name: ", '\n  name: "\\ud800x" #', 1)), 0, ""),
    "logo symlink out": (lambda tmp: _logo_link(tmp), 1, "vendor.logo"),
    "cmyk logo": (lambda tmp: _cmyk_logo(tmp), 0, ""),
    "logo payload": (lambda tmp: _payload_logo(tmp), 0, ""),
    "logo bomb": (lambda tmp: _bomb_logo(tmp), 1, "vendor.logo"),
}


def _logo_link(tmp: Path) -> Path:
    spec = sample_copy(tmp, lambda s: s.replace("logos/ledgerly.png", "logos/out.png"))
    (tmp / "logos" / "out.png").symlink_to(tmp.parent / "elsewhere.png")
    shutil.copy(tmp / "logos" / "ledgerly.png", tmp.parent / "elsewhere.png")
    return spec


def _cmyk_logo(tmp: Path) -> Path:
    spec = sample_copy(tmp, lambda s: s.replace("logos/ledgerly.png", "logos/cmyk.jpg"))
    Image.new("CMYK", (300, 90), (10, 200, 30, 0)).save(tmp / "logos" / "cmyk.jpg", "JPEG")
    return spec


def _payload_logo(tmp: Path) -> Path:
    spec = sample_copy(tmp)
    logo = tmp / "logos" / "ledgerly.png"
    logo.write_bytes(logo.read_bytes() + b"<script>payload</script>" * 100)
    return spec


def _bomb_logo(tmp: Path) -> Path:
    spec = sample_copy(tmp, lambda s: s.replace("logos/ledgerly.png", "logos/bomb.png"))
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    (tmp / "logos" / "bomb.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                                             + chunk(b"IDAT", zlib.compress(b"\0" * 60001 * 10)) + chunk(b"IEND", b""))
    return spec


def _outside_changes(tmp: Path, before: dict[str, int], allowed: tuple[str, ...] = ("out",)) -> list[str]:
    after = snapshot(tmp)
    return sorted(k for k in set(before) | set(after)
                  if before.get(k) != after.get(k) and not k.startswith(allowed))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_spec_cases_through_check_and_build(tmp_path, name):
    make, code, located = SPECS[name]
    work = tmp_path / "work"
    work.mkdir()
    spec = make(work)
    before = snapshot(work)
    run = run_cli("check", spec, cwd=work, timeout=120)
    assert_clean_failure(run, code, located)
    if name == "fifo":
        return
    run = run_cli("build", spec, "--stage", "pre_sale", *ALL_FORMATS, "--out", work / "out", cwd=work)
    assert_clean_failure(run, code, located)
    assert_no_partial_files(work / "out")
    assert not _outside_changes(work, before)
    if code == 0:
        built = sorted(p.suffix for p in (work / "out").rglob("*") if p.suffix in (".pdf", ".docx", ".pptx"))
        assert built == [".docx", ".pdf", ".pptx"]


def _kit(tmp: Path) -> Path:
    kit = tmp / "kit"
    shutil.copytree(ROOT / "brand_kits" / "meridian", kit)
    return kit


def _kit_fonts_link(tmp: Path) -> Path:
    kit = _kit(tmp)
    text = (kit / "brand.yaml").read_text("utf-8")
    (kit / "brand.yaml").write_text(text.replace("families:\n", "families:\n  house:\n    family: House\n"
                                                 "    source: kit\n    regular: a.ttf\n    bold: b.ttf\n", 1))
    (tmp.parent / "fonts-out").mkdir(exist_ok=True)
    (kit / "fonts").symlink_to(tmp.parent / "fonts-out", target_is_directory=True)
    return kit


def _kit_junk(tmp: Path) -> Path:
    kit = _kit(tmp)
    (kit / "notes.txt").symlink_to("/etc/passwd")
    with (kit / "huge.bin").open("wb") as fh:
        fh.truncate(1_500_000_000)
    os.mkfifo(kit / "pipe")
    return kit


def _kit_edit(edit: Callable[[str], str]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        kit = _kit(tmp)
        (kit / "brand.yaml").write_text(edit((kit / "brand.yaml").read_text("utf-8")), "utf-8")
        return kit
    return make


def _kit_external_template(tmp: Path) -> Path:
    from tests.test_template_parts import SLIDE_RELS, _external, _rewrite

    kit = _kit(tmp)
    _rewrite(ROOT / "brand_kits/meridian/template.pptx", kit / "template.pptx", SLIDE_RELS,
             lambda d: _external(d, "external"))
    return kit


def _kit_fifo_logo(tmp: Path) -> Path:
    kit = _kit(tmp)
    (kit / "logo.png").unlink()
    os.mkfifo(kit / "logo.png")
    return kit


KITS: dict[str, tuple[Callable[[Path], Path], int, str]] = {
    "fonts folder links out": (_kit_fonts_link, 1, "symbolic link that leads outside"),
    "unnamed junk": (_kit_junk, 0, ""),
    "external lowercase": (_kit_external_template, 1, "template_pptx"),
    "fifo logo": (_kit_fifo_logo, 1, "not a regular file"),
    "no brand.yaml": (lambda tmp: (_kit(tmp) / "brand.yaml").unlink() or tmp / "kit", 1, "brand.yaml:1:1"),
    "brand.yaml alias": (_kit_edit(lambda s: s + "\nx: &a [1]\ny: *a\n"), 1, "brand.yaml:"),
    # the English footer line of the kit's per-language footer (the sample study is English)
    "footer controls": (_kit_edit(lambda s: re.sub(r"(footer:[^\n]*\n  en: )", r'\1"F\\x0b\\x1b\\u202e" #', s, count=1)), 0, ""),
    "absolute logo": (_kit_edit(lambda s: s.replace("logo: logo.png", "logo: /etc/passwd")), 1, "logo"),
    "dotdot logo": (_kit_edit(lambda s: s.replace("logo: logo.png", "logo: ../meridian/logo.png")), 1, "logo"),
}


@pytest.mark.parametrize("name", sorted(KITS))
def test_kit_cases_through_build(tmp_path, name):
    make, code, located = KITS[name]
    work = tmp_path / "work"
    work.mkdir()
    kit = make(work)
    spec = sample_copy(work)
    before = snapshot(work)
    run = run_cli("build", spec, "--stage", "pre_sale", *ALL_FORMATS, "--brand", kit, "--out", work / "out",
                  cwd=work, timeout=240)
    assert_clean_failure(run, code, located)
    assert_no_partial_files(work / "out")
    assert not _outside_changes(work, before)


def _out_file(tmp: Path) -> Path:
    (tmp / "out").write_text("a file")
    return tmp / "out"


OUTS: dict[str, tuple[Callable[[Path], list[str | Path]], int, str]] = {
    "out is a file": (lambda tmp: ["--out", _out_file(tmp)], 1, "Not a directory"),
    "out name too long": (lambda tmp: ["--out", tmp / ("o" * 300)], 1, "File name too long"),
    "layout absolute": (lambda tmp: ["--layout", "/etc/passwd", "--out", tmp / "out"], 2, "not a layout name"),
    "layout dotdot": (lambda tmp: ["--layout", "../../etc/x", "--out", tmp / "out"], 2, "not a layout name"),
    "unknown brand": (lambda tmp: ["--brand", "nope", "--out", tmp / "out"], 2, "no such brand kit"),
    "unknown format": (lambda tmp: ["--format", "odt", "--out", tmp / "out"], 2, "unknown format"),
}


@pytest.mark.parametrize("name", sorted(OUTS))
def test_flag_and_folder_cases(tmp_path, name):
    make, code, located = OUTS[name]
    args = make(tmp_path)
    run = run_cli("build", SAMPLE, "--stage", "pre_sale", "--format", "pdf", *args, cwd=tmp_path)
    assert_clean_failure(run, code, located)


def _accounts(tmp: Path, extra: bytes) -> Path:
    head = (ROOT / "sample_inputs/accounts_ledgerly.csv").read_bytes().splitlines(keepends=True)[:4]
    (tmp / "accounts.csv").write_bytes(b"".join(head) + extra)
    return tmp / "accounts.csv"


BAD_ROWS = (b"acct-latin,Caf\xe9,mid_market,Software,5,,,,,,,,,,,\n" b"acct-short,Short\n"
            b"con,Console,mid_market,Software,5,,,,,,,,,,,\n" b"acct-nan,NaN,mid_market,Software,5,,NaN,,,,,,,,,\n"
            b"acct-huge," + b"h" * 3_000_000 + b",mid_market,Software,5,,,,,,,,,,,\n"
            b"acct-ctl,Ctl\x1b[2J\x07,mid_market,Software,5,,,,,,,,,,,\n"
            b"../../etc,Path,mid_market,Software,5,,,,,,,,,,,\n")

BATCHES: dict[str, tuple[Callable[[Path], Path], int, str, int]] = {
    "bad rows of every kind": (lambda tmp: _accounts(tmp, BAD_ROWS), 1, "row 4 (line 5)", 4),
    "fifo accounts": (lambda tmp: (os.mkfifo(tmp / "a.csv"), tmp / "a.csv")[1], 1, "not a regular file", 0),
    "empty accounts": (lambda tmp: _raw(b"", "a.csv")(tmp), 1, "a.csv:1:1", 0),
    "binary accounts": (lambda tmp: _raw(os.urandom(4096).replace(b"\n", b"") + b"\n", "a.csv")(tmp), 1, "a.csv", 0),
    "unclosed quote": (lambda tmp: _accounts(tmp, b'acct-q,"never closed,mid_market\n'), 1, "accounts.csv", 3),
    "yaml accounts not a list": (lambda tmp: _raw(b"accounts: 5\n", "a.yaml")(tmp), 1, "a.yaml:1:", 0),
}


def test_absurd_job_count_is_a_usage_error(tmp_path):
    run = run_cli("batch", SAMPLE, ROOT / "sample_inputs/accounts_ledgerly.csv", "-j", "100000", "-q",
                  "--out", tmp_path / "out", cwd=tmp_path)
    assert_clean_failure(run, 2, "--jobs")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", sorted(BATCHES))
def test_batch_cases(tmp_path, name):
    make, code, located, good = BATCHES[name]
    work = tmp_path / "work"
    work.mkdir()
    accounts = make(work)
    spec = sample_copy(work)
    before = snapshot(work) if name != "fifo accounts" else {}
    run = run_cli("batch", spec, accounts, "--format", "pdf", "--format", "docx", "-j", "2", "-q",
                  "--out", work / "out", cwd=work, timeout=300)
    assert_clean_failure(run, code, located)
    assert_no_partial_files(work / "out")
    if before:
        assert not _outside_changes(work, before)
    folder = work / "out" / "ledgerly-close-2026" / "renewal" / "accounts"
    assert len(list(folder.iterdir()) if folder.is_dir() else []) == good


def _export(tmp: Path, name: str, extra: bytes) -> Path:
    lines = (REVIEWS / name).read_bytes().splitlines(keepends=True)[:6]
    (tmp / name).write_bytes(b"".join(lines) + extra)
    return tmp / name


G2_MAP = REVIEWS / "g2like_csv.map.yaml"
PP_MAP = REVIEWS / "peerpanel_jsonl.map.yaml"
REVIEW_CASES: dict[str, tuple[Callable[[Path], tuple[Path, Path]], int, str]] = {
    "csv bad rows": (lambda tmp: (_export(tmp, "ledgerly_g2like.csv", b"r1,https://x,3/13/2026,NaN\n"
                                          b"r2,https://www.g2.com/r2,3/13/2026,NaN,Q,C,Mid-Market(51-1000 emp.),S,Yes,"
                                          b"Yes,No,T,\xe9,N,P\n" + b'"' + b"z" * 5_000_000 + b'"\n'), G2_MAP), 0,
                     "row 6 (line 7)"),
    "jsonl bad lines": (lambda tmp: (_export(tmp, "ledgerly_peerpanel.jsonl", b"[" * 100_000 + b"\n"
                                             + b'{"rating": {"overall": NaN}}\n' + b"\xff\xfe\n"), PP_MAP), 0,
                        "row 7 (line 7): JSON nested more than 20 levels deep"),
    "map rejects all": (lambda tmp: (REVIEWS / "ledgerly_g2like.csv",
                                     _raw(G2_MAP.read_bytes().replace(b"%m/%d/%Y", b"%Y"), "m.map.yaml")(tmp)), 1,
                        "rejected every row"),
    "fifo export": (lambda tmp: ((os.mkfifo(tmp / "e.csv"), tmp / "e.csv")[1], G2_MAP), 1, "not a regular file"),
    "map alias bomb": (lambda tmp: (REVIEWS / "ledgerly_g2like.csv",
                                    _raw(b"a: &a [x]\nb: *a\n", "m.map.yaml")(tmp)), 1, "m.map.yaml:2:"),
    "wrong format": (lambda tmp: (REVIEWS / "ledgerly_peerpanel.jsonl", G2_MAP), 1, "format"),
}


@pytest.mark.parametrize("name", sorted(REVIEW_CASES))
def test_review_import_cases(tmp_path, name):
    make, code, located = REVIEW_CASES[name]
    work = tmp_path / "work"
    work.mkdir()
    export, mapping = make(work)
    before = snapshot(work) if name != "fifo export" else {}
    store = work / "out" / "store.jsonl"
    run = run_cli("reviews", "import", export, "--map", mapping, "--store", store, cwd=work, timeout=120)
    assert_clean_failure(run, code, located)
    if before:
        assert not _outside_changes(work, before)
    assert store.exists() == (code == 0)


LAYOUT_TEXTS = {
    "tilde doubling": "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "join doubling": "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = [ns.s, ns.s]|join %}"
                     "{% endfor %}",
    "center": "{{ 'a'|center(10**9) }}",
    "format": "{{ '%01000000000d'|format(1) }}",
    "indent": "{{ 'a\nb'|indent(10**9) }}",
    "power chain": "{{ ((10**64)**64)**64 }}",
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "include": "{% include 'x' %}",
    "import": "{% import 'x' as y %}",
    "extends": "{% extends 'x' %}",
    "range": "{{ range(10**9)|list }}",
    "recursive macro": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "attribute escape": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "undefined": "{{ nothing.here }}",
}

_LAYOUT_RUNNER = """
import sys
from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.layout.engine import build_document
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError
try:
    from pathlib import Path
    build_document(load_study(Path(sys.argv[1])), sys.argv[2], load_kit(resolve_kit(None)))
except InputError as exc:
    for p in exc.problems:
        print(p, file=sys.stderr)
    sys.exit(1)
"""


@pytest.mark.parametrize("name", sorted(LAYOUT_TEXTS))
def test_layout_file_cases(tmp_path, name):
    import subprocess

    layout = layout_with(tmp_path, LAYOUT_TEXTS[name])
    proc = subprocess.run([sys.executable, "-c", _LAYOUT_RUNNER, str(SAMPLE), str(layout)], capture_output=True,
                          text=True, timeout=120, preexec_fn=_limit, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          cwd=tmp_path)
    assert_clean_failure(Run(proc.returncode, proc.stdout, proc.stderr), 1, f"{layout}:6:")
    assert "pages[0].blocks[1]" in proc.stderr



STORES = {
    "deep json": b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
    "not utf-8": b"\xff\xfe\n",
    "not an object": b"[1]\n",
    "truncated": b'{"platform": "G2", "review_id": \n',
}


@pytest.mark.parametrize("name", sorted(STORES))
def test_reviews_mine_damaged_store(tmp_path, name):
    spec = sample_copy(tmp_path)
    store = tmp_path / "spec.reviews.jsonl"
    store.write_bytes(STORES[name])
    run = run_cli("reviews", "mine", spec, cwd=tmp_path, timeout=120)
    assert_clean_failure(run, 1, f"{store}:1:1: error")
    assert "damaged review store line" in run.err


MANIFESTS = {
    "outputs not a list": b'{"outputs": 5, "roi": {"classic": 3}, "warnings": 7}',
    "not an object": b"[1, 2]",
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "path traversal": b'{"outputs": [{"path": "../../secret.pdf", "stage": "x"}, {"path": "/etc/passwd"}]}',
    "garbage pdf": b'{"outputs": [{"path": "pre_sale/one_pager.pdf", "stage": "pre_sale", "format": "pdf"}]}',
}


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_preview_of_a_damaged_output_folder(tmp_path, name):
    study = tmp_path / "out" / "s"
    (study / "pre_sale").mkdir(parents=True)
    (study / "manifest.json").write_bytes(MANIFESTS[name])
    (study / "pre_sale" / "one_pager.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    run = run_cli("preview", tmp_path / "out", "--no-office", cwd=tmp_path, timeout=120)
    assert_clean_failure(run, 0, "")
    page = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "secret" not in page and "/etc/passwd" not in page
