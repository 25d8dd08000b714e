"""DOCX output: ``DocxRenderer`` (see ``renderer.py``) and ``check_ooxml_template`` (``brand/template_check.py``)."""

from roi_in_a_box.brand.template_check import TemplateRejected, check_ooxml_template, ensure_clean_template

__all__ = ["DocxRenderer", "TemplateRejected", "check_ooxml_template", "ensure_clean_template", "render_docx"]


def __getattr__(name: str):  # import python-docx only when rendering
    if name in ("DocxRenderer", "render_docx"):
        from . import renderer

        return getattr(renderer, name)
    raise AttributeError(name)
