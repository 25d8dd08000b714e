"""Links never break inside: wider than the line they break only after a "/" (no hyphen
added, never at the link's own hyphens), in the shaped line breaker that sizes slide
text, in the slides written from it (the Bengali call to action), and in the PDF."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from reportlab.lib.styles import ParagraphStyle

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.layout import engine
from roi_in_a_box.model.study import load_study
from roi_in_a_box.render.pdf.text import make_paragraph, url_breaks
from roi_in_a_box.render.pptx import measure as M
from roi_in_a_box.render.registry import renderer_for
from roi_in_a_box.layout.tree import Run
from tests.test_pdf_text import ROLE

BRAND = load_kit(resolve_kit(None))
URL = "https://northbeam.example/bn/roi-session"


def _link_para(text: str, size: float) -> M.Para:
    pieces = tuple(M.pieces(text, BRAND.body, "bn", bold=True, link=URL))
    return M.Para(pieces, size, M.line_pitch(pieces, size))


def test_the_shaped_breaker_breaks_a_link_only_after_a_slash() -> None:
    path = M.face_path(BRAND.body.by_script["latin"], True, False)
    whole = M.em_width(path, URL)
    assert M.link_lines(URL, path, whole) == [URL]
    parts = M.link_lines(URL, path, whole * 0.8)
    assert parts == ["https://northbeam.example/bn/", "roi-session"], parts  # not "roi-" | "session"
    assert M.link_lines(URL, path, M.em_width(path, "roi-session") * 0.9) is None  # a part wider: unfit
    size = 19.0
    assert M.count_lines(_link_para(URL, size), whole * size / M.WIDTH_SAFETY + 1) == 1
    assert M.count_lines(_link_para(URL, size), whole * size * 0.8 / M.WIDTH_SAFETY) == 2
    # too narrow for "roi-session": it does not fit (the fitter shrinks), never cut between letters
    assert M.count_lines(_link_para(URL, size), 60.0) == M.UNFIT


def test_bengali_call_to_action_link_is_whole_or_broken_after_a_slash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = load_study(Path(__file__).resolve().parent.parent / "sample_inputs/ghatbox_bn.yaml")
    doc = engine.build_document(a, "deck_insert", BRAND)[0]
    out = tmp_path / "deck.pptx"
    renderer_for("pptx").render(doc, BRAND, out)
    seen = 0
    for slide in Presentation(str(out)).slides:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            width = (shape.width - shape.text_frame.margin_left - shape.text_frame.margin_right) / 12700
            for para in shape.text_frame.paragraphs:
                runs = [r for r in para.runs if r.hyperlink.address]
                if not runs:
                    continue
                seen += 1
                text = para.text  # the link is its own paragraph; a:br reads as "\v"
                assert text.replace("\v", "") == runs[0].hyperlink.address
                lines = text.split("\v")
                assert all(line.endswith("/") for line in lines[:-1]), lines  # breaks only after "/"
                size = runs[0].font.size.pt
                path = M.face_path(BRAND.body.by_script["latin"], bool(runs[0].font.bold), False)
                for line in lines:  # each line fits, so LibreOffice has no reason to break it again
                    assert M.em_width(path, line) * size <= width * M.WIDTH_SAFETY + 0.01, (line, size, width)
    assert seen


def test_pdf_breaks_a_long_url_only_after_a_slash() -> None:
    assert url_breaks(URL) == [len("https://northbeam.example/"), len("https://northbeam.example/bn/")]
    assert url_breaks("mailto:roi-th@northbeam.example") == [] and url_breaks("roi-session/x") == []
    style = ParagraphStyle("cta", fontSize=14, leading=18)
    para = make_paragraph([Run("সেশন বুক করুন। "), Run(URL, bold=True, link=URL)], style, ROLE, "bn")
    para.wrap(200, 400)  # the URL is wider than 200 pt
    lines = ["".join(str(getattr(f, "text", "")) for f in line.words) for line in para.blPara.lines]
    # shaped text: the "tt" of https is a ligature glyph code, the rest reads as written
    assert lines[-2].endswith("northbeam.example/bn/") and lines[-1] == "roi-session", lines
