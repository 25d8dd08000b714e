"""Text is cleaned once, where it is read: control characters, code points XML cannot carry
and bidi overrides never reach a renderer, so `check` and every format agree (control
characters in study.publisher or vendor.name used to pass check, then crash the DOCX and
PPTX core properties)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roi_in_a_box.text.clean import clean_text, for_terminal
from tests.hostile_helpers import assert_clean_failure, run_cli, sample_copy

DIRTY = "Ac\\x07me\\x1b[31m \\u202eAnalysts\\x85\\uffff"


def _dirty_spec(tmp_path: Path) -> Path:
    return sample_copy(tmp_path, lambda text: text.replace("publisher: ", f'publisher: "{DIRTY}" #', 1)
                       .replace("\n  name: ", f'\n  name: "{DIRTY}" #', 1))


def test_clean_text_keeps_scripts_and_joiners_exactly():
    for text in ("ক্ষ\u200cত্র", "ลดเวลา", "tab\there\nnew line", "😀", "x\u200dy"):
        assert clean_text(text) == text
    assert clean_text("a\x00b\x7fc\x9fd\ud800e\ufffef\u202eg\u2066h\r\ni\rj") == "abcdefgh\ni\nj"


def test_for_terminal_shows_escapes_as_text():
    assert for_terminal("red\x1b[31m\u202e") == "red\\x1b[31m\\u202e"
    assert for_terminal("two\nlines") == "two\nlines"


def test_check_warns_and_every_format_builds(tmp_path):
    spec = _dirty_spec(tmp_path)
    run = run_cli("check", spec, cwd=tmp_path)
    assert_clean_failure(run, 0, "")
    assert "removed characters" in run.out and "study.publisher" in run.out and "vendor.name" in run.out
    out = tmp_path / "out"
    run = run_cli("build", spec, "--stage", "pre_sale", "--format", "pdf", "--format", "docx", "--format", "pptx",
                  "--out", out, cwd=tmp_path)
    assert_clean_failure(run, 0, "")
    from docx import Document
    from pptx import Presentation

    docx_file = next(out.rglob("*.docx"))
    assert Document(str(docx_file)).core_properties.author == "Acme[31m Analysts"
    pptx_file = next(out.rglob("*.pptx"))
    assert Presentation(str(pptx_file)).core_properties.author == "Acme[31m Analysts"


@pytest.mark.parametrize("value", ["\\x00", "\\u202e", "\\ud800"])
def test_unsafe_characters_in_ids_are_removed_with_a_warning(tmp_path, value):
    spec = sample_copy(tmp_path, lambda s: s.replace("\n  id: ", f'\n  id: "bad{value}" #', 1))
    run = run_cli("check", spec, cwd=tmp_path)
    # cleaned to 'bad', which is a valid id: the warning still names the field and line
    assert_clean_failure(run, 0, "")
    assert "study.id" in run.out and "removed characters" in run.out
