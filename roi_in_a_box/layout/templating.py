"""Jinja2 for layout text fields: sandboxed, bounded, compiled once per layout string.

Only layout files are compiled as templates; spec data enters as context values and
is never compiled.  The sandbox blocks attribute tricks; the bounded binops and
output cap stop ``'a' * 10**9``-style blow-ups that the stock sandbox allows.
Output is plain text for the neutral tree: each renderer escapes it for its own
format at the last step (escaping here too would show ``&amp;`` in Word and PowerPoint).
"""

from __future__ import annotations

import operator
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 4000
MAX_SEQUENCE = 10_000


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """A sandbox whose arithmetic cannot build huge strings or numbers."""

    intercepted_binops = frozenset(["*", "**", "+"])

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large in layout expression")
            return operator.pow(left, right)
        if operator_name == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_SEQUENCE:
                    raise SecurityError("repetition too large in layout expression")
            return operator.mul(left, right)
        result = operator.add(left, right)
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_SEQUENCE:
            raise SecurityError("result too large in layout expression")
        return result


_ENV = BoundedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=1024)
def compile_text(source: str) -> Any:
    """Compile a layout string once (layouts are reused across thousands of documents)."""
    return _ENV.from_string(source)


def render_text(source: str, context: dict[str, Any]) -> str:
    """Render a layout text field; plain strings without ``{`` skip Jinja entirely."""
    if "{" not in source:
        return source
    out: str = compile_text(source).render(context)
    if len(out) > MAX_OUTPUT:
        raise SecurityError(f"rendered text is {len(out):,} characters; at most {MAX_OUTPUT:,}")
    return out.strip()


__all__ = ["render_text", "compile_text", "TemplateError", "SecurityError"]
