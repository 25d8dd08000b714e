"""Ids that become file or folder names must be valid on every system the outputs travel to.

Windows refuses (or silently redirects to a device) any name whose part before the first
dot is a DOS device name, in any case: ``con``, ``nul.pdf`` and ``COM1.x`` all fail
there, so a study or account id like that would build here and break on a colleague's
machine or a synced share.
"""

from __future__ import annotations

WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$",
                             *(f"com{i}" for i in "0123456789¹²³"), *(f"lpt{i}" for i in "0123456789¹²³")})


def reserved_name(name: str) -> bool:
    """True if ``name`` cannot be a file or folder name on Windows."""
    return name.split(".", 1)[0].rstrip(" ").casefold() in WINDOWS_DEVICES


RESERVED_HINT = "not a Windows device name (con, prn, aux, nul, com0-9, lpt0-9, with or without an extension)"
