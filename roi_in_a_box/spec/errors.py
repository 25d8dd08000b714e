"""Located problems: every error or warning names the file, line, column and field."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """One finding about an input file.

    ``path`` is the dotted field path (``value_props[1].evidence[0]``); ``found`` is what
    was there and ``expected`` what would be valid, both short and human-readable.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    found: str = ""
    expected: str = ""
    severity: Literal["error", "warning"] = "error"
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.severity}: {self.path or '<document>'}: {self.message}"
        if self.found:
            text += f" (found {self.found})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class InputError(Exception):
    """Raised with every problem found, so users fix them all in one go."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity == "warning"]
        super().__init__("\n".join(str(p) for p in self.problems))


def short(value: object, limit: int = 60) -> str:
    """A value as users would recognise it in a message, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…'"
