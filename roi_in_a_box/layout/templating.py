"""Jinja2 for layout text fields: sandboxed, bounded, compiled once per layout string.

Only layout files are compiled as templates; spec data enters as context values and
is never compiled.  The stock sandbox blocks attribute tricks but not resource use, so
this one adds hard bounds, each failing as a ``SecurityError`` (a located layout error):

* size: every string, list or number an operator (``+ * ** % ~``), filter or method call
  makes is capped *before* it is built where the size is known in advance (``center``,
  ``indent``, ``format`` widths, ``replace``, ``join``, ``ljust`` ...), and checked after;
* work: a step budget counted on every loop iteration and every call (macros included),
  plus a wall-clock budget per rendering; ``range`` is capped;
* recursion: a ``RecursionError`` becomes a layout error;
* no ``include``/``import``/``extends`` (layout strings have no loader): refused at
  compile time with the line; no ``lipsum``/``random`` (output must be reproducible).

Output is plain text for the neutral tree: each renderer escapes it for its own format
at the last step (escaping here too would show ``&amp;`` in Word and PowerPoint).
"""

from __future__ import annotations

import operator
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..text.clean import clean_text

MAX_OUTPUT = 4000        # characters one text field may render to
MAX_SEQUENCE = 10_000    # characters or items any intermediate value may have
MAX_INT_BITS = 4096      # about 1,200 decimal digits
MAX_STEPS = 100_000      # loop iterations plus calls per rendering
MAX_SECONDS = 2.0        # wall clock per rendering
MAX_WIDTH = 200          # widths and counts given to padding/wrapping filters and methods

_REFUSED = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from ... import",
            nodes.Extends: "extends"}
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")
_BRACE_WIDTH = re.compile(r"\d+")


class _Budget:
    """Steps and deadline of the rendering in progress (renderings do not nest)."""

    steps = 0
    deadline = float("inf")

    @classmethod
    def start(cls) -> None:
        cls.steps, cls.deadline = 0, time.monotonic() + MAX_SECONDS

    @classmethod
    def tick(cls) -> None:
        cls.steps += 1
        if cls.steps > MAX_STEPS:
            raise SecurityError(f"layout expression does too much work (more than {MAX_STEPS:,} steps)")
        if not cls.steps & 255 and time.monotonic() > cls.deadline:
            raise SecurityError(f"layout expression took longer than {MAX_SECONDS:g} s")


def _sized(value: Any, what: str = "result") -> Any:
    """``value`` if it is within the size caps, else a ``SecurityError``."""
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) and len(value) > MAX_SEQUENCE:
        raise SecurityError(f"{what} too large in layout expression ({len(value):,} > {MAX_SEQUENCE:,})")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"{what} too large in layout expression (a number of more than {MAX_INT_BITS} bits)")
    return value


def _small(n: Any, what: str) -> None:
    if isinstance(n, int) and abs(n) > MAX_WIDTH:
        raise SecurityError(f"{what} {n:,} too large in layout expression (at most {MAX_WIDTH})")
    if isinstance(n, str) and len(n) > MAX_WIDTH:
        raise SecurityError(f"{what} too long in layout expression (at most {MAX_WIDTH} characters)")


def _check_percent_format(fmt: Any) -> None:
    if isinstance(fmt, str):
        for m in _PERCENT_SPEC.finditer(fmt):
            for part in m.groups():
                if part == "*":
                    raise SecurityError("'*' widths are not allowed in layout format strings")
                if part:
                    _small(int(part), "format width")


def _check_brace_format(fmt: str) -> None:
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise SecurityError(f"bad format string: {exc}") from None
    for _, _, spec, _ in fields:
        if spec and "{" in spec:
            raise SecurityError("nested format fields are not allowed in layout format strings")
        for width in _BRACE_WIDTH.findall(spec or ""):
            _small(int(width), "format width")


def _join_size(items: Iterable[Any], sep: str) -> list[Any]:
    items = list(items)
    _sized(items, "join input")
    total = len(sep) * max(0, len(items) - 1) + sum(len(x) if isinstance(x, str) else 20 for x in items)
    if total > MAX_SEQUENCE:
        raise SecurityError(f"join result too large in layout expression ({total:,} > {MAX_SEQUENCE:,})")
    return items


def _replace_size(s: str, old: str, new: str, count: int = -1) -> None:
    hits = (len(s) + 1 if old == "" else s.count(old)) if count < 0 else count
    if len(s) + hits * max(0, len(new) - len(old)) > MAX_SEQUENCE:
        raise SecurityError(f"replace result too large in layout expression (more than {MAX_SEQUENCE:,})")


def _precheck_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Bounds known before a ``str`` method runs (the ones that can build huge strings)."""
    target = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    owner, name = getattr(target, "__self__", None), getattr(target, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in ("ljust", "rjust", "center", "zfill", "expandtabs"):
        for a in (*args, *kwargs.values()):
            _small(a, f"{name} width")
    elif name == "join" and args:
        _join_size(args[0], owner)
    elif name == "replace" and len(args) >= 2:
        _replace_size(owner, str(args[0]), str(args[1]), int(args[2]) if len(args) > 2 else -1)
    elif name in ("format", "format_map"):
        _check_brace_format(owner)


def _bounded_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a stock filter: its size arguments are checked first, its result after."""

    def run(*args: Any, **kwargs: Any) -> Any:
        _Budget.tick()
        skip = 1 if hasattr(fn, "jinja_pass_arg") else 0  # context/environment comes first
        lead, value, rest = args[:skip], (args[skip] if len(args) > skip else None), args[skip + 1:]
        if name in ("center", "indent", "wordwrap", "truncate", "batch", "slice", "xmlattr", "urlize"):
            for a in (*rest, *kwargs.values()):
                _small(a, f"{name} argument")
        elif name == "format":
            _check_percent_format(value)
        elif name == "join":
            args = (*lead, _join_size(value or (), str(rest[0]) if rest else str(kwargs.get("d", ""))), *rest)
        elif name == "replace" and isinstance(value, str) and len(rest) >= 2:
            _replace_size(value, str(rest[0]), str(rest[1]), int(rest[2]) if len(rest) > 2 else -1)
        return _sized(fn(*args, **kwargs), f"'{name}' result")

    run.__name__ = fn.__name__
    if hasattr(fn, "jinja_pass_arg"):
        run.jinja_pass_arg = fn.jinja_pass_arg  # type: ignore[attr-defined]
    return run


def _loop(iterable: Any) -> Iterator[Any]:
    """Every ``{% for %}`` iterates through this: one budget step per item."""
    for item in iterable:
        _Budget.tick()
        yield item


def _range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_SEQUENCE:
        raise SecurityError(f"range of {len(rng):,} items in layout expression (at most {MAX_SEQUENCE:,})")
    return rng


class _Generator(CodeGenerator):
    """Code generation with ``~`` routed through the bounds."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """A sandbox whose operators, filters, calls and loops cannot run away."""

    code_generator_class = _Generator
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.globals.pop("lipsum", None)
        self.globals["range"] = _range
        self.globals["__loop_guard"] = _loop
        self.filters.pop("random", None)
        self.filters = {name: _bounded_filter(name, fn) for name, fn in self.filters.items()}

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        _Budget.tick()
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large in layout expression")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() * max(right, 0) > MAX_INT_BITS:
                raise SecurityError("power too large in layout expression")
            return _sized(operator.pow(left, right))
        if operator_name == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_SEQUENCE:
                    raise SecurityError("repetition too large in layout expression")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise SecurityError("product too large in layout expression")
            return _sized(operator.mul(left, right))
        if operator_name == "%":
            _check_percent_format(left)
            return _sized(operator.mod(left, right))
        if isinstance(left, (str, list, tuple)) and isinstance(right, type(left)) and len(left) + len(right) > MAX_SEQUENCE:
            raise SecurityError(f"result too large in layout expression (more than {MAX_SEQUENCE:,})")
        return _sized(operator.add(left, right))

    def bounded_concat(self, parts: tuple[Any, ...]) -> str:
        """``a ~ b``: the pieces' sizes are added up before they are joined."""
        _Budget.tick()
        texts = [p if isinstance(p, str) else str(p) for p in parts]
        if sum(map(len, texts)) > MAX_SEQUENCE:
            raise SecurityError(f"'~' result too large in layout expression (more than {MAX_SEQUENCE:,})")
        return "".join(texts)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _Budget.tick()
        _precheck_method(__obj, args, kwargs)
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node_type, word in _REFUSED.items():
            found = tree.find(node_type)
            if found is not None:
                raise TemplateSyntaxError(f"'{word}' is not supported in layout text (layout strings stand alone)",
                                          found.lineno, name, filename)
        for loop in tree.find_all(nodes.For):  # every iteration counts against the budget
            loop.iter = nodes.Call(nodes.Name("__loop_guard", "load"), [loop.iter], [], None, None,
                                   lineno=loop.lineno)
        return tree


_ENV = BoundedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=1024)
def compile_text(source: str) -> Any:
    """Compile a layout string once (layouts are reused across thousands of documents)."""
    return _ENV.from_string(source)


def render_text(source: str, context: dict[str, Any]) -> str:
    """Render a layout text field within the bounds; plain strings without ``{`` skip Jinja."""
    if "{" not in source:
        return source
    template = compile_text(source)
    _Budget.start()
    out: list[str] = []
    size = 0
    try:
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise SecurityError(f"rendered text is over {MAX_OUTPUT:,} characters")
            _Budget.tick()
            out.append(piece)
    except RecursionError:
        raise SecurityError("layout expression recurses too deeply (a macro calling itself?)") from None
    except (OverflowError, MemoryError, ValueError, TypeError, ArithmeticError) as exc:
        raise SecurityError(f"layout expression failed: {type(exc).__name__}: {exc}") from None
    finally:
        _Budget.deadline = float("inf")
    return clean_text("".join(out).strip())


__all__ = ["SecurityError", "TemplateError", "compile_text", "render_text"]
