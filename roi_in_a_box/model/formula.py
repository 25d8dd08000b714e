"""A small arithmetic grammar for driver-based lines, evaluated exactly in Decimal.

Specs are shared files, so a formula must never run code: there is no ``eval`` here, only
a tokenizer and a recursive-descent parser for

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "×" | "/" | "÷") factor)*
    factor := ("-" | "+") factor | atom
    atom   := number ["%"] | name | "(" expr ")" | ("min" | "max") "(" expr ("," expr)* ")"

Names are driver ids (letters, digits, ``_``, starting with a letter); numbers are written
with a ``.`` decimal point (``0.511``, ``12%``). Every error names the column of the bad
token (1-based within the formula), so the spec loader can point at ``file:line:column``.
Formulas are short (at most 300 characters) and nest at most 20 levels, so neither parsing
nor evaluation can be made to run long.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, localcontext

MAX_LENGTH = 300
MAX_DEPTH = 20
_CONTEXT = Context(prec=34, traps=[DivisionByZero, InvalidOperation])
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z][A-Za-z0-9_]*)|(?P<op>[-+*/×÷(),%]))")


class FormulaError(ValueError):
    """A formula that cannot be parsed or evaluated; ``column`` is 1-based in the formula."""

    def __init__(self, message: str, column: int, token: str = ""):
        super().__init__(message)
        self.column = column
        self.token = token


@dataclass(frozen=True)
class Tok:
    kind: str  # num, name, op, end
    text: str
    column: int


def tokenize(source: str) -> list[Tok]:
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"formula is {len(source)} characters; at most {MAX_LENGTH}", MAX_LENGTH + 1)
    toks, pos = [], 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        m = _TOKEN.match(source, pos)
        if m is None:
            bad = source[pos:].lstrip()[:1]
            col = len(source) - len(source[pos:].lstrip()) + 1
            raise FormulaError(f"unexpected character {bad!r}", col, bad)
        kind = m.lastgroup or "op"
        toks.append(Tok(kind, m.group(kind), m.start(kind) + 1))
        pos = m.end()
    toks.append(Tok("end", "", len(source) + 1))
    return toks


# An expression tree: numbers, names, ("neg", x), (op, a, b), (fn, [args]).
Node = Decimal | str | tuple[Any, ...]


class _Parser:
    def __init__(self, source: str):
        self.toks = tokenize(source)
        self.i = 0
        self.depth = 0

    def peek(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text:
            found = tok.text or "the end of the formula"
            raise FormulaError(f"expected {text!r}, found {found!r}", tok.column, tok.text)

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise FormulaError("the formula is empty", 1)
        node = self.expr()
        tok = self.peek()
        if tok.kind != "end":
            raise FormulaError(f"unexpected {tok.text!r} (an operator is missing before it?)", tok.column, tok.text)
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"formula nests deeper than {MAX_DEPTH} levels", self.peek().column, self.peek().text)
        node = self.term()
        while self.peek().text in ("+", "-"):
            op = self.take().text
            node = (op, node, self.term())
        self.depth -= 1
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.peek().text in ("*", "×", "/", "÷"):
            op = "*" if self.take().text in ("*", "×") else "/"
            node = (op, node, self.factor())
        return node

    def factor(self) -> Node:
        if self.peek().text in ("-", "+"):
            sign = self.take().text
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FormulaError(f"formula nests deeper than {MAX_DEPTH} levels", self.peek().column)
            inner = self.factor()
            self.depth -= 1
            return ("neg", inner) if sign == "-" else inner
        return self.atom()

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            value = Decimal(tok.text)
            if self.peek().text == "%":
                self.take()
                value = value / 100
            return value
        if tok.kind == "name":
            if tok.text in ("min", "max") and self.peek().text == "(":
                self.take()
                args = [self.expr()]
                while self.peek().text == ",":
                    self.take()
                    args.append(self.expr())
                self.expect(")")
                return (tok.text, tuple(args))
            return ("name", tok.text, tok.column)
        if tok.text == "(":
            node = self.expr()
            self.expect(")")
            return node
        found = tok.text or "the end of the formula"
        raise FormulaError(f"expected a number, a name or '(', found {found!r}", tok.column, tok.text)


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its source text, tree, and the names it uses (in order)."""

    source: str
    tree: Node
    names: tuple[tuple[str, int], ...]  # (name, column) of each use

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal:
        """The formula's value for one set of inputs (one year)."""
        with localcontext(_CONTEXT):
            try:
                return _eval(self.tree, values)
            except DivisionByZero:
                raise FormulaError("division by zero", 1) from None
            except InvalidOperation:
                raise FormulaError("the formula is undefined for these inputs (0 / 0)", 1) from None

    def display(self, refs: Mapping[str, str]) -> str:
        """The formula with names replaced by their table references ("A1*A2*0.12")."""
        out, pos = [], 0
        for name, col in self.names:
            out += [self.source[pos:col - 1], refs.get(name, name)]
            pos = col - 1 + len(name)
        return ("".join(out) + self.source[pos:]).replace(" ", "")


def _names(node: Node, out: list[tuple[str, int]]) -> None:
    if isinstance(node, tuple):
        if node[0] == "name":
            out.append((node[1], node[2]))
        elif node[0] in ("min", "max"):
            for arg in node[1]:
                _names(arg, out)
        else:
            for child in node[1:]:
                _names(child, out)


def _eval(node: Node, values: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, Decimal):
        return node
    kind = node[0]
    if kind == "name":
        return values[node[1]]
    if kind == "neg":
        return -_eval(node[1], values)
    if kind in ("min", "max"):
        args = [_eval(a, values) for a in node[1]]
        return min(args) if kind == "min" else max(args)
    a, b = _eval(node[1], values), _eval(node[2], values)
    return {"+": a + b, "-": a - b, "*": a * b}[kind] if kind != "/" else a / b


def parse(source: str, known: set[str] | None = None) -> Formula:
    """Parse ``source``; with ``known``, every name must be one of them."""
    tree = _Parser(source).parse()
    names: list[tuple[str, int]] = []
    _names(tree, names)
    if known is not None:
        for name, col in names:
            if name not in known:
                raise FormulaError(f"unknown input {name!r}; this line's inputs are "
                                   + (", ".join(sorted(known)) or "none"), col, name)
    return Formula(source, tree, tuple(sorted(names, key=lambda n: n[1])))
