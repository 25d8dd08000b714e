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
