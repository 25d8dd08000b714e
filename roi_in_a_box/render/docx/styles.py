"""Real Word styles in brand colours and fonts, set up once per (template, brand, language).

Word and LibreOffice pick the font for Bengali and Thai from ``w:rFonts/@w:cs`` and the size
and weight from ``w:szCs``/``w:bCs`` (complex-script properties); the stock template's theme
attributes (``w:cstheme="minorBidi"`` ...) would override explicit names, so they are
removed.  Styles are found by their *name* (``heading 1``), never by id: a German Word
template calls Heading 1 ``berschrift1``.  :func:`setup_styles` returns the ids to use.

Stock template: our definitions replace the stock ones and unused stock styles are dropped
(its 438 KB styles.xml costs parse and save time on every document).
Company template: its styles are kept as they are and its theme wins: the styles we add
take the theme's major (headings) or minor (body) fonts through ``w:asciiTheme`` and its
colours through ``w:themeColor``; Bengali and Thai text gets ``w:cs`` from
:func:`complex_font` (the theme's face when the kit has it, else the kit's family).  With
``kit_overrides: [fonts]`` the kit's fonts replace the theme fonts in docDefaults and in the
styles we use, as the kit's colours do in the styles we add with ``[colors]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import qn

from roi_in_a_box.brand.company_look import theme_slot
from roi_in_a_box.brand.model import Brand, FontFamily, FontRole
from roi_in_a_box.brand.ooxml_theme import SCRIPT_CODES, Theme
from roi_in_a_box.text.languages import ENGLISH, LANGUAGES, complex_scripts, script_tag

from .xml import NSDECL, esc, half_points, hexcolor, tint

# language subtag -> (script, w:lang/@w:val for Latin text, w:lang/@w:bidi)
LANGS = {code: (lang.script, ENGLISH.ooxml_tag, "" if lang.script == "latin" else lang.ooxml_tag)
         for code, lang in LANGUAGES.items()}
SCRIPT_BIDI = {s: script_tag(s) for s in complex_scripts()}
_THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))


def lang_info(language: str) -> tuple[str, str, str]:
    """``(script, latin tag, bidi tag)`` for a BCP 47 tag; unknown languages are Latin."""
    sub = language.split("-")[0].lower()
    if sub in LANGS:
        script, val, bidi = LANGS[sub]
        return script, (language if script == "latin" and "-" in language else val), bidi
    return "latin", language or "en-US", ""


def family(role: FontRole, script: str, italic: bool = False) -> FontFamily:
    """The family that draws ``script`` in ``role``; for italic text the kit's
    ``italic_family`` of one without an italic face (:meth:`FontFamily.for_italic`)."""
    fam = role.by_script.get(script) or role.by_script["latin"]
    return fam.for_italic() if italic else fam


def family_name(role: FontRole, script: str, italic: bool = False) -> str:
    return family(role, script, italic).name


def rfonts(latin: str, cs: str) -> str:
    return f'<w:rFonts w:ascii="{esc(latin)}" w:eastAsia="{esc(latin)}" w:hAnsi="{esc(latin)}" w:cs="{esc(cs)}"/>'


def complex_font(theme: Theme | None, role_name: str, role: FontRole, script: str, italic: bool = False) -> str:
    """The face for ``script`` (Bengali, Thai) text in ``role``: the theme's complex-script
    face for it (``a:font script="Beng"``, else ``a:cs``) when the kit has that family, so
    it can be embedded; otherwise the kit's per-script family.  Office's stock themes name
    Windows faces (Vrinda, Angsana New) a reader without them would replace."""
    if theme is not None:
        fonts = theme.major if role_name == "heading" else theme.minor
        face = fonts.scripts.get(SCRIPT_CODES.get(script, ""), "") or fonts.cs
        if face and face in {f.name for f in role.families()}:
            return face
    return family_name(role, script, italic)


def theme_rfonts(role_name: str, cs: str) -> str:
    """``w:rFonts`` pointing at the theme's major/minor Latin fonts (and ``cs`` by name)."""
    k = "major" if role_name == "heading" else "minor"
    cs_attr = f' w:cs="{esc(cs)}"' if cs else ""
    return (f'<w:rFonts w:asciiTheme="{k}HAnsi" w:eastAsiaTheme="{k}EastAsia" w:hAnsiTheme="{k}HAnsi"'
            f'{cs_attr}/>')


def has_italic(role: FontRole, script: str) -> bool:
    """Whether the family that draws ``script`` in ``role`` has an italic face.  Text in a
    family without one is set upright: Word and LibreOffice would slant it (a fake italic)."""
    return family(role, script, italic=True).italic is not None


def rpr(fonts: str = "", bold: bool = False, italic: bool = False, color: str = "",
        size: float = 0, underline: bool = False, lang: str = "",
        italic_faces: tuple[bool, bool] = (True, True)) -> str:
    """A ``w:rPr`` body in schema order (rFonts, b, bCs, i, iCs, color, sz, szCs, u, lang).
    ``italic_faces``: whether the Latin (``w:i``) and complex-script (``w:iCs``) families
    have an italic face; italic is only asked of those that do."""
    parts = [fonts]
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append(("<w:i/>" if italic_faces[0] else "") + ("<w:iCs/>" if italic_faces[1] else ""))
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size:
        hp = half_points(size)
        parts.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    if underline:
        parts.append('<w:u w:val="single"/>')
    parts.append(lang)
    return "".join(parts)


@dataclass(frozen=True)
class StyleIds:
    """Style ids to reference from ``w:pStyle``/``w:rStyle``/``w:tblStyle``."""

    normal: str
    title: str
    subtitle: str
    heading1: str
    heading2: str
    heading3: str
    quote: str
    caption: str
    list_bullet: str
    header: str
    footer: str
    hyperlink: str
    table: str
    lead: str
    small: str
    stat_value: str
    stat_label: str
    card_title: str
    figure_title: str
    cell_text: str
    from_template: frozenset[str] = frozenset()  # keys whose style is the company template's own

    def heading(self, level: int) -> str:
        return (self.title, self.heading1, self.heading2, self.heading3)[max(0, min(level, 3))]


# key -> (type, default id, name, basedOn, role ("heading"/"body"), pPr, rPr kwargs, extra)
def _definitions(brand: Brand) -> dict[str, tuple]:
    c = brand.colors
    primary, secondary, accent = hexcolor(c.primary), hexcolor(c.secondary), hexcolor(c.accent)
    text, muted = hexcolor(c.text), hexcolor(c.muted)
    keep = "<w:keepNext/><w:keepLines/>"
    return {
        "normal": ("paragraph", "Normal", "Normal", "", "body",
                   '<w:spacing w:before="0" w:after="120" w:line="264" w:lineRule="auto"/>',
                   dict(color=text, size=10)),
        "title": ("paragraph", "Title", "Title", "Normal", "heading",
                  keep + '<w:spacing w:before="0" w:after="160" w:line="240" w:lineRule="auto"/>',
                  dict(color=primary, size=24, bold=True)),
        "subtitle": ("paragraph", "Subtitle", "Subtitle", "Normal", "heading",
                     keep + '<w:spacing w:after="160"/>', dict(color=secondary, size=13)),
        "heading1": ("paragraph", "Heading1", "heading 1", "Normal", "heading",
                     keep + '<w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="0"/>',
                     dict(color=primary, size=16, bold=True)),
        "heading2": ("paragraph", "Heading2", "heading 2", "Normal", "heading",
                     keep + '<w:spacing w:before="200" w:after="60"/><w:outlineLvl w:val="1"/>',
                     dict(color=secondary, size=13, bold=True)),
        "heading3": ("paragraph", "Heading3", "heading 3", "Normal", "heading",
                     keep + '<w:spacing w:before="160" w:after="40"/><w:outlineLvl w:val="2"/>',
                     dict(color=text, size=11, bold=True)),
        "quote": ("paragraph", "Quote", "Quote", "Normal", "body",
                  f'<w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="{accent}"/></w:pBdr>'
                  '<w:spacing w:before="60" w:after="60"/><w:ind w:left="200"/>',
                  dict(color=text, size=11, italic=True)),
        "caption": ("paragraph", "Caption", "caption", "Normal", "body",
                    '<w:spacing w:before="40" w:after="120" w:line="240" w:lineRule="auto"/>',
                    dict(color=muted, size=8)),
        "list_bullet": ("paragraph", "ListBullet", "List Bullet", "Normal", "body",
                        '<w:spacing w:after="60"/><w:ind w:left="360" w:hanging="360"/>', dict()),
        "header": ("paragraph", "Header", "header", "Normal", "body",
                   '<w:spacing w:after="0"/>', dict(color=muted, size=8)),
        "footer": ("paragraph", "Footer", "footer", "Normal", "body",
                   '<w:spacing w:after="0"/>', dict(color=muted, size=8)),
        "hyperlink": ("character", "Hyperlink", "Hyperlink", "DefaultParagraphFont", "",
                      "", dict(color=secondary, underline=True)),
        "table": ("table", "ROITable", "ROI Table", "TableNormal", "", "", dict()),
        "lead": ("paragraph", "ROILead", "ROI Lead", "Normal", "body",
                 '<w:spacing w:after="160"/>', dict(color=text, size=12)),
        "small": ("paragraph", "ROISmall", "ROI Small", "Normal", "body",
                  '<w:spacing w:after="80"/>', dict(color=text, size=8.5)),
        "stat_value": ("paragraph", "ROIStatValue", "ROI Stat Value", "Normal", "heading",
                       '<w:keepNext/><w:spacing w:before="40" w:after="0" w:line="240" w:lineRule="auto"/>',
                       dict(color=primary, size=20, bold=True)),
        "stat_label": ("paragraph", "ROIStatLabel", "ROI Stat Label", "Normal", "body",
                       '<w:spacing w:after="20" w:line="240" w:lineRule="auto"/>',
                       dict(color=text, size=9, bold=True)),
        "card_title": ("paragraph", "ROICardTitle", "ROI Card Title", "Normal", "heading",
                       '<w:keepNext/><w:spacing w:before="40" w:after="40"/>',
                       dict(color=primary, size=11, bold=True)),
        "figure_title": ("paragraph", "ROIFigureTitle", "ROI Figure Title", "Normal", "heading",
                         '<w:keepNext/><w:spacing w:before="160" w:after="40"/>',
                         dict(color=text, size=10, bold=True)),
        "cell_text": ("paragraph", "ROITableText", "ROI Table Text", "Normal", "body",
                      '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>', dict(size=9)),
    }


_BUILTIN_UI = {"normal": 0, "title": 10, "subtitle": 11, "heading1": 9, "heading2": 9, "heading3": 9,
               "quote": 29, "caption": 35, "hyperlink": 99, "table": 59}
# Stock styles worth keeping besides ours (everything else in the stock styles.xml is dropped).
_STOCK_KEEP = {"DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}


def _table_style_xml(brand: Brand, sid: str, name: str, fonts: str, based: str) -> str:
    primary = hexcolor(brand.colors.primary)
    line = tint(brand.colors.muted, 0.6)
    return (
        f'<w:style {NSDECL} w:type="table" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{esc(name)}"/>'
        + (f'<w:basedOn w:val="{esc(based)}"/>' if based else "") + '<w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr>{fonts}<w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
        '<w:tblPr><w:tblBorders>'
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{primary}"/>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{primary}"/>'
        f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{line}"/>'
        '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
        '<w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{primary}"/></w:tcPr></w:tblStylePr>'
        '</w:style>'
    )


@dataclass(frozen=True)
class _Mode:
    """How the styles we write relate to a company template (``None`` fields: no template)."""

    theme: Theme | None = None
    theme_fonts: bool = False  # the template's theme fonts win
    theme_colors: bool = False  # the template's theme colours win


def _style_fonts(role: str, brand: Brand, script: str, mode: _Mode, italic: bool = False) -> str:
    r = brand.heading if role == "heading" else brand.body
    if not mode.theme_fonts:
        return rfonts(family_name(r, "latin", italic), family_name(r, script, italic))
    cs = complex_font(mode.theme, role, r, script, italic) if script != "latin" else ""
    if role == "heading":
        return theme_rfonts(role, cs)
    return f'<w:rFonts w:cs="{esc(cs)}"/>' if cs else ""  # body: the template's Normal


def _themed_colors(body: str, mode: _Mode) -> str:
    """Colours that came from the template's theme also name their theme slot."""
    if not mode.theme_colors or mode.theme is None:
        return body
    theme = mode.theme

    def slot(m: re.Match) -> str:
        name = theme_slot(theme, m.group(1))
        return m.group(0) if name is None else f'<w:color w:val="{m.group(1)}" w:themeColor="{name}"/>'
    return re.sub(r'<w:color w:val="([0-9A-Fa-f]{6})"/>', slot, body)


def _style_xml(key: str, spec: tuple, sid: str, brand: Brand, script: str, old_numpr: str = "",
               mode: _Mode = _Mode(), bases: dict[str, str] | None = None) -> str:
    """``bases``: the ids the document's own default styles have, by the stock id
    (``Normal``, ``DefaultParagraphFont``, ``TableNormal``); a ``basedOn`` or ``next`` to a
    stock id the document lacks is left out.  A template saved by a localised Word names
    them ``a``, ``a0``, ``a1`` (Chinese) or ``Standard``: a ``basedOn`` naming ``Normal``
    there points at nothing, and openxml-audit reports every such style."""
    bases = {"Normal": "Normal", "DefaultParagraphFont": "DefaultParagraphFont",
             "TableNormal": "TableNormal"} if bases is None else bases
    stype, _, name, based, role, ppr, rkw = spec
    based = bases.get(based, "")
    normal = bases.get("Normal", "")
    if stype == "table":
        fonts = _style_fonts("body", brand, script, mode)
        return _themed_colors(_table_style_xml(brand, sid, name, fonts, based), mode)
    fonts = ""
    if role:
        r = brand.heading if role == "heading" else brand.body
        it = bool(rkw.get("italic"))  # an italic style (Quote) names the families its italic is set in
        fonts = _style_fonts(role, brand, script, mode, it)
        rkw = {**rkw, "italic_faces": (has_italic(r, "latin"), has_italic(r, script))}
        if mode.theme_colors and rkw.get("color") == hexcolor(brand.colors.text):
            rkw.pop("color")  # body text colour: the template's Normal
    head = f'<w:style {NSDECL} w:type="{stype}"'
    if key == "normal":
        head += ' w:default="1"'
    if sid.startswith("ROI"):
        head += ' w:customStyle="1"'
    out = [head, f' w:styleId="{sid}"><w:name w:val="{esc(name)}"/>']
    if based:
        out.append(f'<w:basedOn w:val="{esc(based)}"/>')
    if stype == "paragraph" and key != "normal" and normal:
        out.append(f'<w:next w:val="{esc(normal)}"/>')
    if key in _BUILTIN_UI:
        out.append(f'<w:uiPriority w:val="{_BUILTIN_UI[key]}"/>')
    if key in ("heading2", "heading3", "caption", "hyperlink"):
        out.append("<w:unhideWhenUsed/>")
    if stype == "paragraph":
        out.append("<w:qFormat/>")
    if ppr or old_numpr:
        out.append(f"<w:pPr>{old_numpr}{ppr}</w:pPr>")
    body = rpr(fonts=fonts, **rkw)
    if body:
        out.append(f"<w:rPr>{body}</w:rPr>")
    out.append("</w:style>")
    return _themed_colors("".join(out), mode)


def _strip_theme(el) -> None:
    for rf in el.iter(qn("w:rFonts")):
        for a in _THEME_ATTRS:
            rf.attrib.pop(a, None)


def _ensure_fonts(rpr_el, latin: str, cs: str) -> None:
    """Strip theme attributes from ``rpr_el``'s rFonts and fill missing names with brand fonts."""
    rf = rpr_el.find(qn("w:rFonts"))
    if rf is None:
        rf = parse_xml(f"<w:rFonts {NSDECL}/>")
        rpr_el.insert(0, rf)
    for a in _THEME_ATTRS:
        rf.attrib.pop(a, None)
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", latin), ("cs", cs)):
        if rf.get(qn(f"w:{attr}")) is None:
            rf.set(qn(f"w:{attr}"), value)


def _ensure_cs(rpr_el, cs: str) -> None:
    """Name ``cs`` as the complex-script face of ``rpr_el`` (a theme ``w:cstheme`` would win)."""
    rf = rpr_el.find(qn("w:rFonts"))
    if rf is None:
        rf = parse_xml(f"<w:rFonts {NSDECL}/>")
        rpr_el.insert(0, rf)
    rf.attrib.pop(qn("w:cstheme"), None)
    rf.set(qn("w:cs"), cs)


def _set_doc_defaults(styles_el, brand: Brand, language: str, replace: bool, mode: _Mode = _Mode()) -> None:
    script, val, bidi = lang_info(language)
    latin, cs = family_name(brand.body, "latin"), family_name(brand.body, script)
    if mode.theme_fonts:
        cs = complex_font(mode.theme, "body", brand.body, script)
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {NSDECL}/>")
        styles_el.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    bidi_attr = f' w:bidi="{bidi}"' if bidi else ""
    lang = f'<w:lang w:val="{esc(val)}" w:eastAsia="en-US"{bidi_attr}/>'
    if replace or rpr_default is None:
        if rpr_default is not None:
            defaults.remove(rpr_default)
        new = parse_xml(f'<w:rPrDefault {NSDECL}><w:rPr>{rfonts(latin, cs)}'
                        f'<w:sz w:val="20"/><w:szCs w:val="20"/>{lang}</w:rPr></w:rPrDefault>')
        defaults.insert(0, new)
        return
    rpr_el = rpr_default.find(qn("w:rPr"))
    if rpr_el is None:
        rpr_el = parse_xml(f"<w:rPr {NSDECL}/>")
        rpr_default.append(rpr_el)
    if not mode.theme_fonts:
        _ensure_fonts(rpr_el, latin, cs)
    elif script != "latin":  # the template's fonts stay; Bengali/Thai text gets a face that has it
        _ensure_cs(rpr_el, cs)
    old = rpr_el.find(qn("w:lang"))
    if old is not None:
        rpr_el.remove(old)
    rpr_el.append(parse_xml(lang.replace("<w:lang ", f"<w:lang {NSDECL} ", 1)))


_STOCK_BASES = {"paragraph": "Normal", "character": "DefaultParagraphFont", "table": "TableNormal"}


def _base_ids(styles_el) -> dict[str, str]:
    """Stock base id -> the id of the document's default style of that type (``w:default``),
    else the stock id itself if the document has a style with it."""
    ids = {el.get(qn("w:styleId")) for el in styles_el.findall(qn("w:style"))}
    out = {stock: stock for stock in _STOCK_BASES.values() if stock in ids}
    for el in styles_el.findall(qn("w:style")):
        stock = _STOCK_BASES.get(el.get(qn("w:type")) or "")
        if stock and el.get(qn("w:default")) in ("1", "true", "on") and stock not in out:
            out[stock] = el.get(qn("w:styleId"))
    return out


def setup_styles(document, brand: Brand, language: str, *, stock: bool, theme: Theme | None = None) -> StyleIds:
    """Define every style the renderer uses on ``document`` (a python-docx Document).

    ``stock``: the document is python-docx's default template (ours to restyle and trim);
    otherwise a company template whose existing styles are kept and whose ``theme`` wins
    unless the kit overrides it (``brand.kit_overrides``).
    """
    script = lang_info(language)[0]
    styles_el = document.styles.element
    mode = _Mode()
    if not stock:
        has_fonts = theme is not None and bool(theme.major.latin and theme.minor.latin)
        mode = _Mode(theme, brand.template_wins("fonts") and has_fonts,
                     brand.template_wins("colors") and theme is not None)
    _set_doc_defaults(styles_el, brand, language, replace=stock, mode=mode)
    by_name: dict[tuple[str, str], Any] = {}  # lxml elements
    for el in styles_el.findall(qn("w:style")):
        name_el = el.find(qn("w:name"))
        if name_el is not None:
            by_name.setdefault((el.get(qn("w:type")), name_el.get(qn("w:val")).lower()), el)
    used_ids = {el.get(qn("w:styleId")) for el in styles_el.findall(qn("w:style"))}
    bases = _base_ids(styles_el)
    ids: dict[str, str] = {}
    own: set[str] = set()
    for key, spec in _definitions(brand).items():
        stype, default_id, name = spec[0], spec[1], spec[2]
        existing = by_name.get((stype, name.lower()))
        if existing is not None and not stock:
            ids[key] = existing.get(qn("w:styleId"))
            if key == "normal":
                bases["Normal"] = ids[key]
            own.add(key)
            if spec[4] and not mode.theme_fonts:  # kit_overrides fonts: brand fonts instead of theme fonts
                role = brand.heading if spec[4] == "heading" else brand.body
                rpr_el = existing.find(qn("w:rPr"))
                if rpr_el is None:
                    rpr_el = parse_xml(f"<w:rPr {NSDECL}/>")
                    existing.append(rpr_el)
                _ensure_fonts(rpr_el, family_name(role, "latin"), family_name(role, script))
            continue
        sid = default_id
        old_numpr = ""
        if existing is not None:
            sid = existing.get(qn("w:styleId"))
            numpr = existing.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if numpr is not None and key == "list_bullet":
                from lxml import etree
                old_numpr = etree.tostring(numpr, encoding="unicode")
            anchor = existing.getprevious()
            styles_el.remove(existing)
        else:
            while sid in used_ids:
                sid += "X"
            anchor = None
        used_ids.add(sid)
        if key == "normal":
            bases["Normal"] = sid
        new = parse_xml(_style_xml(key, spec, sid, brand, script, old_numpr, mode, bases))
        if anchor is not None:
            anchor.addnext(new)
        else:
            styles_el.append(new)
        ids[key] = sid
    if stock:
        keep = set(ids.values()) | _STOCK_KEEP
        for el in styles_el.findall(qn("w:style")):
            if el.get(qn("w:styleId")) not in keep:
                styles_el.remove(el)
        _strip_theme(styles_el)
    return StyleIds(**ids, from_template=frozenset(own))
