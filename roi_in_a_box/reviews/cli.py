"""``roi-in-a-box reviews``: import review exports and mine them for evidence.

Registered by the main app with ``app.add_typer(reviews_app, name="reviews")``.
Exit status as elsewhere: 0 ok, 1 invalid input (every problem printed, located), 2 usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..text.clean import for_terminal

reviews_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                          help="Import review-platform exports and mine them for evidence behind value props.")

EXIT_INVALID = 1


def _fail(exc: Exception, as_json: bool = False) -> None:
    from ..cli import _fail as fail

    fail(exc, as_json)


@reviews_app.command("import")
def import_cmd(export: Path = typer.Argument(..., exists=True, dir_okay=False, help="Platform export (.csv or .jsonl)"),
               mapping: Path = typer.Option(..., "--map", "-m", exists=True, dir_okay=False,
                                            help="Mapping YAML naming the export's columns"),
               spec: Path | None = typer.Option(None, "--spec", exists=True, dir_okay=False,
                                                   help="Study spec: the store goes next to it as <stem>.reviews.jsonl"),
               store: Path | None = typer.Option(None, "--store", dir_okay=False,
                                                    help="Review store to create or merge into"),
               as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON")) -> None:
    """Read EXPORT with --map into the review store (normalised, de-duplicated; bad rows reported and skipped)."""
    from ..spec.errors import InputError
    from .importer import import_export
    from .store import default_store_for

    if store is None:
        store = default_store_for(spec) if spec else export.with_name(export.stem + ".reviews.jsonl")
    try:
        rep = import_export(export, mapping, store)
    except InputError as exc:
        _fail(exc, as_json)
        return
    if as_json:
        print(json.dumps(rep.to_json(), ensure_ascii=False, indent=2))
        return
    for err in rep.bad:
        print(for_terminal(f"{export}: {err}"), file=sys.stderr)
    for d in rep.duplicates:
        print(for_terminal(f"{export}: duplicate skipped: {d}"), file=sys.stderr)
    print(f"{export.name}: {rep.rows} row(s): {rep.added} added, {rep.updated} updated, {rep.unchanged} unchanged, "
          f"{len(rep.duplicates)} duplicate(s) skipped, {len(rep.bad)} bad row(s) skipped → {rep.store} "
          f"({rep.total} reviews)")


@reviews_app.command("mine")
def mine_cmd(spec: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="Study spec (YAML)"),
             store: Path | None = typer.Option(None, "--store", dir_okay=False,
                                                  help="Review store (default: <spec stem>.reviews.jsonl beside the spec)"),
             as_json: bool = typer.Option(False, "--json", help="Print the evidence report as JSON"),
             write: bool = typer.Option(False, "--write", help="Add the proposed quotes, evidence ids and evidence "
                                                               "figures to the spec (comments and order kept)"),
             quotes: int = typer.Option(1, "--quotes", min=1, max=5, help="Quotes to add per value prop with --write"),
             stats: bool = typer.Option(True, "--stats/--no-stats", help="With --write, add evidence figures as headline stats"),
             top: int = typer.Option(3, "--top", min=1, max=50, help="Candidates to list per value prop"),
             min_rel: float = typer.Option(0.15, "--min-rel", min=0.0, max=1.0, help="Support threshold (relative BM25)"),
             min_terms: int = typer.Option(3, "--min-terms", min=1, max=20, help="Shared terms a supporting review needs"),
             min_support: int = typer.Option(5, "--min-support", min=1, help="Below this many verified reviews: weak")) -> None:
    """Score every imported review against every value prop and use case; report support, quotes and ROI types."""
    from ..spec.errors import InputError
    from ..spec.load import load_spec
    from .mine import mine, report_json, report_text
    from .store import default_store_for, load_store
    from .write import write_spec

    store = store or default_store_for(spec)
    try:
        loaded = load_spec(spec)
        reviews = load_store(store)
        rep = mine(loaded.spec, spec, store, reviews, rel_threshold=min_rel, min_terms=min_terms,
                   min_support=min_support, top=top)
        result = write_spec(rep, per_vp=quotes, stats=stats) if write else None
    except InputError as exc:
        _fail(exc, as_json)
        return
    if as_json:
        data = report_json(rep, top)
        if result:
            data["written"] = result.to_json()
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print(for_terminal(report_text(rep, top)))
    if result:
        print(f"\nWrote {spec}: {len(result.added_quotes)} quote(s) added "
              f"({', '.join(result.added_quotes) or '-'}), {len(result.reused_quotes)} already there; "
              f"evidence figures: {'; '.join(result.stats) or '-'}")
        for s in result.skipped:
            print(f"  skipped: {s}")
