"""Layout templates cannot run away: every operator, filter, method, loop and recursion is
bounded, include/import/extends are refused, and each failure is a ``TemplateError``
(which the layout engine reports at the layout file's line and field)."""

from __future__ import annotations

import time

import pytest

from roi_in_a_box.layout.templating import MAX_OUTPUT, render_text
from roi_in_a_box.spec.errors import InputError

BIG = "x" * 1000
BOMBS = {
    "tilde doubling": "{% set ns = namespace(s=big) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "join doubling": "{% set ns = namespace(s=big) %}{% for i in range(40) %}{% set ns.s = [ns.s, ns.s]|join %}{% endfor %}",
    "replace": "{{ big|replace('x', big) }}",
    "replace empty": "{{ big|replace('', big) }}",
    "center": "{{ 'a'|center(10**9) }}",
    "format filter": "{{ '%01000000000d'|format(1) }}",
    "format precision": "{{ '%.1000000000f'|format(1.5) }}",
    "percent operator": "{{ '%01000000000d' % 1 }}",
    "star width": "{{ '%*d' % (10**9, 1) }}",
    "indent": "{{ big|indent(10**9) }}",
    "chained power": "{{ ((10**64)**64)**64 }}",
    "big product": "{% set ns = namespace(n=2**60) %}{% for i in range(20) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "str method ljust": "{{ 'x'.ljust(10**9) }}",
    "str method format": "{{ '{:>1000000000}'.format(1) }}",
    "str method replace": "{{ big.replace('x', big) }}",
    "str method join": "{{ big.join([big] * 9) }}",
    "batch": "{{ [1]|batch(10**9, 'x')|list }}",
    "slice": "{{ [1]|slice(10**9)|list }}",
    "truncate": "{{ 'x'|truncate(10**9) }}",
    "list repetition": "{{ [1] * 10**9 }}",
    "nested loops": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "loop over string": "{% for i in big * 10 %}{% for j in big * 10 %}{% endfor %}{% endfor %}",
    "huge range": "{{ range(10**9)|length }}",
    "range 100000": "{% for i in range(100000) %}{% endfor %}",
    "recursive macro": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "branching macro": "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "long output": "{% for i in range(5000) %}{{ big }}{% endfor %}",
    "include": "{% include 'other.txt' %}",
    "import": "{% import 'macros.txt' as m %}",
    "from import": "{% from 'macros.txt' import m %}",
    "extends": "{% extends 'base.txt' %}",
    "lipsum": "{{ lipsum(10**6) }}",
    "random": "{{ [1, 2]|random }}",
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_is_a_template_error_quickly(name):
    from jinja2 import TemplateError

    start = time.monotonic()
    with pytest.raises(TemplateError):
        render_text(BOMBS[name], {"big": BIG})
    assert time.monotonic() - start < 3


@pytest.mark.parametrize("source, expected", [
    ("{{ a ~ '!' }}", "T!"),
    ("{% for i in range(3) %}{{ i }}{% endfor %}", "012"),
    ("{{ ['a', 'b']|join(', ') }}", "a, b"),
    ("{{ 'ab'|replace('a', 'x') }}", "xb"),
    ("{{ '%05.1f'|format(3.25) }}", "003.2"),
    ("{{ '{:>4}|'.format(7) }}", "7|"),
    ("{{ 2 ** 10 }}", "1024"),
    ("{{ '%d%%' % 5 }}", "5%"),
    ("{{ 'x'|center(5) }}|", "x  |"),
    ("{% macro f(n) %}{% if n %}{{ n }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(3) }}", "321"),
    ("{{ 'bell\x07 and \u202eoverride' }}", "bell and override"),  # cleaned like every other input
])
def test_ordinary_templates_still_work(source, expected):
    assert render_text(source, {"a": "T"}) == expected


def test_output_cap_is_the_documented_one():
    assert len(render_text("{{ 'x' * %d }}" % MAX_OUTPUT, {})) == MAX_OUTPUT
    with pytest.raises(Exception, match="over"):
        render_text("{{ 'x' * %d }}" % (MAX_OUTPUT + 1), {})


def test_include_in_a_layout_is_a_located_error(tmp_path):
    from roi_in_a_box.brand.kit import load_kit, resolve_kit
    from roi_in_a_box.layout.engine import build_document
    from roi_in_a_box.model.study import load_study
    from tests.hostile_helpers import ROOT, layout_with

    layout = layout_with(tmp_path, "{% include 'x' %}")
    analysis = load_study(ROOT / "sample_inputs" / "ledgerly_en.yaml")
    with pytest.raises(InputError) as err:
        build_document(analysis, str(layout), load_kit(resolve_kit(None)))
    (p,) = err.value.problems
    assert p.file == str(layout) and p.line > 1 and "include" in p.message and "blocks" in p.path
