"""Safe, located YAML loading for specs, layouts, brand kits and account files.

PyYAML alone is not safe enough for files users pass around: an alias bomb of a few
hundred bytes loads in milliseconds and explodes later, the C loader segfaults on deep
nesting, and duplicate keys silently keep the last value.  So we cap the size, stream
the events once (a parser without recursion) to reject aliases and excessive depth, then
compose and build plain Python values ourselves, recording where every key and value
came from so later errors can name ``file:line:column``.

libyaml (PyYAML's C parser, when installed) reads a spec ten times faster than PyYAML's
own, with the same nodes and marks, so it reads printable text; its event parser keeps
its own stack, and it composes only what the scan found at most ``MAX_DEPTH`` deep.
Whenever it finds a problem, the text is read again by PyYAML's own parser, so every
error and its location are PyYAML's, whichever parser was used.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..text.clean import clean_text, unsafe_chars
from .errors import InputError, Problem, short

MAX_BYTES = 1_000_000
MAX_DEPTH = 24
MAX_NODES = 100_000

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """Parsed data plus where each part came from (1-based line and column)."""

    file: str
    data: Any
    value_at: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_at: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    digest: str = ""
    cleaned: list[Problem] = field(default_factory=list)  # warnings: characters removed from text values

    def where(self, path: PathKey, key: bool = False) -> tuple[int, int]:
        """Best location for ``path``: the exact node, else its nearest located parent."""
        table = self.key_at if key else self.value_at
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self.value_at:
                return self.value_at[p]
            p = p[:-1]
        return self.value_at.get((), (1, 1))

    def problem(self, path: PathKey, message: str, *, found: str = "", expected: str = "",
                severity: str = "error", key: bool = False, code: str = "") -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, dotted(path), message, found, expected,
                       severity, code)  # type: ignore[arg-type]


def dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(node_or_event: Any) -> tuple[int, int]:
    m = node_or_event.start_mark
    return m.line + 1, m.column + 1


def _yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    return Problem(file, line, col, "", f"not valid YAML: {problem}",
                   expected="well-formed YAML (check indentation and quoting)", code="yaml")


_FAST: Any = getattr(yaml, "CSafeLoader", None)  # libyaml, if PyYAML was built with it


def _scan(file: str, text: str, loader: Any = yaml.SafeLoader) -> list[Problem]:
    """Stream events once to reject aliases, deep nesting and huge documents cheaply."""
    depth = nodes = 0
    try:
        for ev in yaml.parse(text, Loader=loader):
            if isinstance(ev, yaml.AliasEvent):
                line, col = _mark(ev)
                return [Problem(file, line, col, "", "YAML aliases are not allowed",
                                found=f"*{ev.anchor}",
                                expected="the value written out in full", code="alias")]
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line, col = _mark(ev)
                    return [Problem(file, line, col, "", "nesting is too deep",
                                    found=f"more than {MAX_DEPTH} levels",
                                    expected=f"at most {MAX_DEPTH} levels", code="depth")]
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(ev, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    line, col = _mark(ev)
                    return [Problem(file, line, col, "", "document has too many values",
                                    found=f"more than {MAX_NODES}",
                                    expected=f"at most {MAX_NODES}", code="size")]
            if isinstance(ev, yaml.DocumentStartEvent) and ev.start_mark is not None and ev.start_mark.index > 0 \
                    and nodes:
                line, col = _mark(ev)
                return [Problem(file, line, col, "", "only one YAML document per file",
                                expected="a single document (remove '---')", code="yaml")]
    except yaml.YAMLError as exc:
        return [_yaml_problem(file, exc)]
    return []


class _Builder(yaml.constructor.SafeConstructor):
    """Build plain values from composed nodes, recording locations and duplicate keys."""

    def __init__(self, located: Located, problems: list[Problem]):
        super().__init__()
        self.located = located
        self.problems = problems

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.located.value_at[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, col = _mark(key_node)
                    self.problems.append(Problem(self.located.file, line, col, dotted(path),
                                                 "mapping keys must be plain text",
                                                 expected="a simple key such as 'title'", code="key-type"))
                    continue
                key = self.construct_object(key_node)
                key = clean_text(str(key)) if not isinstance(key, int) else key
                if key in out:
                    line, col = _mark(key_node)
                    first = self.located.key_at.get((*path, key), (0, 0))[0]
                    self.problems.append(Problem(
                        self.located.file, line, col, dotted((*path, key)),
                        f"duplicate key (first defined on line {first})",
                        found=short(key), expected="each key once per mapping", code="duplicate-key"))
                    continue
                self.located.key_at[(*path, key)] = _mark(key_node)
                out[key] = self.build(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            value = self.construct_object(node)
        except ValueError as exc:  # e.g. 2026-02-30 matches YAML's date pattern but is no date
            line, col = _mark(node)
            self.problems.append(Problem(self.located.file, line, col, dotted(path), f"invalid value: {exc}",
                                         found=short(node.value), expected="a real date written YYYY-MM-DD",
                                         code="invalid-value"))
            return node.value
        if isinstance(value, str):
            return self._clean(node, path, value)
        if isinstance(value, float) and node.tag.endswith(":float"):
            try:  # keep money exact: 12.30 stays Decimal('12.30')
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return value
        return value


    def _clean(self, node: yaml.Node, path: PathKey, value: str) -> str:
        """The input boundary for YAML text: unsafe characters removed, with a located warning."""
        cleaned = clean_text(value)
        if cleaned != value.replace("\r\n", "\n").replace("\r", "\n"):
            line, col = _mark(node)
            self.located.cleaned.append(Problem(
                self.located.file, line, col, dotted(path), "removed characters that cannot appear in documents",
                found=", ".join(unsafe_chars(value)[:6]), expected="printable text (control, bidi-override and "
                "non-XML characters are dropped)", severity="warning", code="cleaned"))
        return cleaned


def parse_text(text: str, file: str) -> Located:
    """Parse YAML text safely; raise ``InputError`` with located problems."""
    located = Located(file=file, data=None)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError([Problem(file, 1, 1, "", "file is too large", found=f"{len(text):,} characters",
                                  expected=f"at most {MAX_BYTES:,} bytes", code="size")])
    fast = _FAST is not None and not yaml.reader.Reader.NON_PRINTABLE.search(text)
    problems: list[Problem] = []
    if not fast or _scan(file, text, _FAST):  # PyYAML's own parser finds and locates every problem
        fast = False
        problems = _scan(file, text)
    if problems:
        raise InputError(problems)
    try:
        node = yaml.compose(text, Loader=_FAST if fast else yaml.SafeLoader)
    except yaml.YAMLError as exc:
        if not fast:
            raise InputError([_yaml_problem(file, exc)]) from None
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc2:
            raise InputError([_yaml_problem(file, exc2)]) from None
    if node is None:
        raise InputError([Problem(file, 1, 1, "", "file is empty", expected="a YAML mapping", code="empty")])
    problems = []
    builder = _Builder(located, problems)
    try:
        located.data = builder.build(node, ())
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(file, exc)]) from None
    if problems:
        raise InputError(problems)
    return located


def read_bytes(path: Path, display: str, max_bytes: int, what: str = "file") -> bytes:
    """A user's file, refused unless it is a regular file of at most ``max_bytes``.

    Checked before anything is read: a FIFO or a device would block or never end.
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError([Problem(display, 1, 1, "", f"cannot read file: {exc.strerror}", code="io")]) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError([Problem(display, 1, 1, "", f"{what} is not a regular file (a FIFO, device or socket?)",
                                  expected="a regular file", code="io")])
    if st.st_size > max_bytes:
        raise InputError([Problem(display, 1, 1, "", f"{what} is too large", found=f"{st.st_size:,} bytes",
                                  expected=f"at most {max_bytes:,} bytes", code="size")])
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError([Problem(display, 1, 1, "", f"cannot read file: {exc.strerror}", code="io")]) from None
    if len(raw) > max_bytes:  # grew after the check
        raise InputError([Problem(display, 1, 1, "", f"{what} is too large", expected=f"at most {max_bytes:,} bytes",
                                  code="size")])
    return raw


def read_text(path: Path, display: str, max_bytes: int, what: str = "file") -> tuple[str, bytes]:
    """A user's UTF-8 file (a BOM is dropped), size checked before it is read in full."""
    raw = read_bytes(path, display, max_bytes, what)
    try:
        return raw.decode("utf-8").lstrip("\ufeff"), raw
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(display, line, 1, "", f"{what} is not valid UTF-8",
                                  found=f"byte 0x{raw[exc.start]:02x}", expected="UTF-8 text",
                                  code="encoding")]) from None


def load_file(path: Path, display: str | None = None) -> Located:
    """Read and parse ``path``; size is checked before the file is read in full."""
    import hashlib

    name = display or str(path)
    text, raw = read_text(path, name, MAX_BYTES)
    located = parse_text(text, name)
    located.digest = hashlib.sha256(raw).hexdigest()
    return located
