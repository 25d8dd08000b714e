"""Which links a document may carry: https: and mailto: only (no javascript:, file:, http:)."""

from __future__ import annotations

SAFE_LINK_SCHEMES = ("https:", "mailto:")


def safe_link(link: str | None) -> str | None:
    """``link`` if it is an https: or mailto: URL without spaces, else ``None``."""
    if not link:
        return None
    link = link.strip()
    if not link.lower().startswith(SAFE_LINK_SCHEMES) or any(ch.isspace() for ch in link):
        return None
    return link


def link_breaks(link: str) -> list[int]:
    """Offsets where a URL may break across lines: after a ``/`` of its path, never inside
    its ``scheme://``, never at its hyphens; an e-mail address has none.  Nothing is added
    at a break (no hyphen): the lines read back as the link."""
    start = link.find("://") + 3 if "://" in link else len(link)
    return [i for i in range(start + 1, len(link)) if link[i - 1] == "/" and link[i] != "/"]
