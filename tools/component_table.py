"""Write (or check) the component table in docs/layouts-and-brand-kits.md from the typed
component specs in ``roi_in_a_box/layout/layout_file.py``.

    python tools/component_table.py          # rewrite the table in place
    python tools/component_table.py --check  # exit 1 if the docs are out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from roi_in_a_box.layout.layout_file import BLOCK_SPECS, TEMPLATED, component_name

DOC = Path(__file__).resolve().parents[1] / "docs" / "layouts-and-brand-kits.md"
HEADER = "| component | fields it reads | what it shows |\n|---|---|---|\n"
COMMON = ("component", "id", "priority")


def table() -> str:
    rows = []
    for spec in BLOCK_SPECS:
        fields = [f for f in reversed(list(spec.model_fields)) if f not in COMMON]
        cells = ", ".join(f"`{f}`" + (" (templated)" if f in TEMPLATED else "") for f in fields) or "—"
        doc = " ".join((spec.__doc__ or "").split())
        rows.append(f"| `{component_name(spec)}` | {cells} | {doc} |")
    return HEADER + "\n".join(rows) + "\n"


def rewrite(text: str) -> str:
    start = text.index(HEADER)
    end = text.index("\n\n", start)
    return text[:start] + table() + text[end + 1:]


def main(argv: list[str]) -> int:
    text = DOC.read_text("utf-8")
    new = rewrite(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC} is out of date: run python tools/component_table.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
