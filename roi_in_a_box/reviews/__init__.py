"""Review evidence: import platform exports into a store, mine it for value-prop support.

``store``: the normalised, de-duplicated review store kept next to a spec.
``importer``: platform exports (CSV/JSONL) + a mapping file → store records.
``textproc``: language-aware tokenisation (English, Bengali, Thai).
``mine``: BM25 evidence mining, quote proposals, ROI-type hints, eligibility.
``write``: round-trip edits of the spec (comments and order kept).
``cli``: the ``reviews`` Typer sub-app.
"""
