"""What the tests accept from ``openxml-audit --ooxml-security`` beyond a clean report.

Its security profile lists every ``p:embeddedFont`` as active content (a font is parsed by
the viewer), whatever the font: PowerPoint files that embed their brand fonts
(render/pptx/font_embed.py) always get that one finding in ``/ppt/presentation.xml``.  It is a
policy note, not a schema or semantic error (the default audit, without the security scan,
is clean), so the tests set it aside and hold everything else to the usual bar.
"""

from __future__ import annotations


def embedded_font_note(finding: dict) -> bool:
    return (finding.get("description") == "Active content element 'embeddedFont' found"
            and finding.get("part_uri") == "/ppt/presentation.xml")


def other_findings(report: dict) -> list[dict]:
    """The report's findings without the embedded-font note."""
    return [f for f in report["errors"] if not embedded_font_note(f)]
