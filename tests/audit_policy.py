"""What the tests accept from ``openxml-audit --ooxml-security`` beyond a clean report.

PowerPoint files that embed their brand fonts (render/pptx/font_embed.py) get one finding
per embedded family: "Active content element 'embeddedFont' found", severity error, id
``Sec_ActiveContentElement``, at ``/presentation[1]/embeddedFontLst[1]/embeddedFont[N]`` of
``/ppt/presentation.xml``.  Read in openxml-audit 0.8.0 (``semantic/security.py``): the
check lists ``p:embeddedFont`` among its active-content tags (with ``p:control``,
``p:oleObj``, ``w:control``, ``w:object``) and flags every element with that name, in any
XML part, by its tag alone.  It does not look at the font part's content type
(``application/x-fontdata`` is not among its active content types, so the parts themselves
raise nothing), at the relationship, or at the element's attributes, so no way of writing
the embedding satisfies it; only leaving the fonts out would.  Word's embedded fonts
(``w:embedRegular`` ...) are not on the list, so the same fonts in a DOCX raise nothing.
It is a policy note, not a schema or semantic error (the default audit, without the
security scan, is clean), so the tests set exactly these findings aside and hold
everything else to the usual bar.
"""

from __future__ import annotations

import re

_EMBEDDED_FONT_PATH = re.compile(r"/presentation\[1\]/embeddedFontLst\[1\]/embeddedFont\[\d+\]")


def embedded_font_note(finding: dict) -> bool:
    return (finding.get("description") == "Active content element 'embeddedFont' found"
            and finding.get("part_uri") == "/ppt/presentation.xml"
            and _EMBEDDED_FONT_PATH.fullmatch(finding.get("path", "")) is not None)


def other_findings(report: dict) -> list[dict]:
    """The report's findings without the embedded-font note."""
    return [f for f in report["errors"] if not embedded_font_note(f)]
