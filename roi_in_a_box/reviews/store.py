"""The review store: normalised, de-duplicated reviews in one JSONL file next to a spec.

One JSON object per line, sorted by ``key`` (``<platform>:<review id>``, lower-cased) so
the file diffs cleanly and re-imports are reproducible.  Written atomically: a killed
import leaves the old store or the complete new one, never half of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..deliver.atomic import atomic_write
from ..spec.errors import InputError, Problem
from ..spec.yaml_source import MAX_BYTES, read_bytes

STORE_SUFFIX = ".reviews.jsonl"
CRITIQUE_ANSWERS = ("dislike",)  # answers that describe problems with the product, never support


@dataclass(frozen=True)
class Review:
    """One review as the engine uses it, whatever platform it came from."""

    platform: str
    review_id: str
    url: str
    date: dt.date
    stars: float
    role: str
    segment: str  # small_business | mid_market | enterprise
    industry: str
    validated_reviewer: bool
    verified_current_user: bool
    incentivized: bool
    answers: dict[str, str]  # answer key (like_best, dislike, problems_solved ...) -> verbatim text
    name: str | None = None
    language: str = ""
    source: dict[str, object] = field(default_factory=dict)  # {"file": ..., "row": ...}

    @property
    def key(self) -> str:
        return f"{self.platform.casefold()}:{self.review_id}"

    @property
    def verified(self) -> bool:
        """Same rule as a verified quote: validated, current user, not incentivized."""
        return self.validated_reviewer and self.verified_current_user and not self.incentivized

    def support_answers(self) -> dict[str, str]:
        """Answers that can support a claim (the 'dislike' answer cannot)."""
        return {k: v for k, v in self.answers.items() if k not in CRITIQUE_ANSWERS and v}

    def content_hash(self) -> str:
        """Same words in the same answers → same hash (case, spacing and punctuation ignored)."""
        parts = [f"{k}={normalise_for_hash(v)}" for k, v in sorted(self.answers.items()) if v]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        d = {"key": self.key, **d}
        return d

    @classmethod
    def from_json(cls, d: dict[str, object]) -> Review:
        d = dict(d)
        d.pop("key", None)
        d["date"] = dt.date.fromisoformat(str(d["date"]))
        return cls(**d)  # type: ignore[arg-type]


def normalise_for_hash(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("\u200c", "").replace("\u200d", "")
    return re.sub(r"[\W_]+", " ", text).strip()


def default_store_for(spec: Path) -> Path:
    """``ledgerly_en.yaml`` → ``ledgerly_en.reviews.jsonl`` in the same folder."""
    return spec.with_name(spec.stem + STORE_SUFFIX)


MAX_STORE_BYTES = MAX_BYTES * 500  # several full exports merged


def load_store(path: Path) -> list[Review]:
    """Read a store; a missing or damaged store raises ``InputError`` naming the line."""
    name = str(path)
    if not path.is_file():
        raise InputError([Problem(name, 1, 1, "", "no imported reviews here",
                                  expected="a store written by 'roi-in-a-box reviews import ... --store' "
                                           "(default: <spec stem>.reviews.jsonl next to the spec)",
                                  code="no-store")])
    out: list[Review] = []
    for n, raw in enumerate(read_bytes(path, name, MAX_STORE_BYTES, "review store").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            out.append(Review.from_json(json.loads(raw.decode("utf-8"))))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            raise InputError([Problem(name, n, 1, "", f"damaged review store line: {exc}",
                                      expected="re-run 'reviews import'", code="store")]) from None
    return out


def save_store(path: Path, reviews: list[Review]) -> None:
    """Write the store atomically, sorted by key."""
    text = "".join(json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True) + "\n"
                   for r in sorted(reviews, key=lambda r: r.key))
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
