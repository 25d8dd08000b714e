"""Company templates: external relationships are found whatever the letter case of
TargetMode, and a DOCTYPE is found by parsing (in a UTF-16 part, after a 2 MB comment),
so python-pptx never opens such a template (it used to crash with a KeyError)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from roi_in_a_box.brand.kit import forget_kits, load_kit
from roi_in_a_box.render.docx.template_check import check_ooxml_template
from roi_in_a_box.spec.errors import InputError
from tests.hostile_helpers import ROOT

MERIDIAN = ROOT / "brand_kits" / "meridian"
SLIDE_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
THEME = "ppt/theme/theme1.xml"


def _rewrite(src: Path, dst: Path, part: str, edit) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, edit(data) if info.filename == part else data)
    return dst


def _external(data: bytes, mode: str) -> bytes:
    rel = (f'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
           f'Target="https://evil.example/x.png" TargetMode="{mode}"/>').encode()
    return data.replace(b"</Relationships>", rel + b"</Relationships>")


def _doctype_utf16(data: bytes) -> bytes:
    text = data.decode("utf-8")
    head, _, body = text.partition("?>")
    return (head.replace('encoding="UTF-8"', 'encoding="UTF-16"') + '?><!DOCTYPE a [<!ENTITY x "y">]>' + body
            ).encode("utf-16")


def _doctype_after_comment(data: bytes) -> bytes:
    head, _, body = data.partition(b"?>")
    return head + b"?><!--" + b"c" * 2_000_000 + b'--><!DOCTYPE a [<!ENTITY x "y">]>' + body


@pytest.mark.parametrize("part, edit, reason", [
    (SLIDE_RELS, lambda d: _external(d, "external"), "external relationship"),
    (SLIDE_RELS, lambda d: _external(d, "EXTERNAL"), "external relationship"),
    (SLIDE_RELS, lambda d: _external(d, " External "), "external relationship"),
    (THEME, _doctype_utf16, "DOCTYPE"),
    (THEME, _doctype_after_comment, "DOCTYPE"),
])
def test_hidden_template_tricks_are_found(tmp_path, part, edit, reason):
    bad = _rewrite(MERIDIAN / "template.pptx", tmp_path / "template.pptx", part, edit)
    problems = check_ooxml_template(bad, "pptx")
    assert any(reason in p and part in p for p in problems), problems


def test_kit_with_lowercase_external_template_is_a_located_error(tmp_path):
    kit = tmp_path / "kit"
    shutil.copytree(MERIDIAN, kit)
    _rewrite(MERIDIAN / "template.pptx", kit / "template.pptx", SLIDE_RELS, lambda d: _external(d, "external"))
    forget_kits()
    with pytest.raises(InputError) as err:
        load_kit(kit)
    assert err.value.problems[0].path == "template_pptx" and err.value.problems[0].line > 1


def test_clean_template_still_passes():
    assert check_ooxml_template(MERIDIAN / "template.pptx", "pptx") == []
    assert check_ooxml_template(MERIDIAN / "reference.docx", "docx") == []
