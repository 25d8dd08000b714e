"""Generate a realistic, clearly fictional accounts file for a study (demos, tests, benchmarks).

Amounts are the study's own model lines scaled by each account's seats, with a
deterministic spread, so realised ROI varies around the benchmark.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

from ..model.drivers import yearly_amounts
from ..spec.schema import StudySpec

SEGMENTS = (("small_business", 5, 40), ("mid_market", 20, 200), ("enterprise", 150, 1500))
INDUSTRIES = ("Retail", "Manufacturing", "Healthcare", "Financial Services", "Hospitality", "Logistics",
              "Software", "Nonprofit")
NAMES = ("Alder", "Birch", "Cedar", "Dune", "Elm", "Fjord", "Grove", "Harbor", "Iris", "Juniper", "Kestrel",
         "Larch", "Maple", "Nettle", "Oak", "Pine", "Quill", "Rowan", "Sage", "Tamarack", "Umber", "Vale",
         "Willow", "Yarrow", "Zephyr")
SUFFIXES = ("Outfitters", "Foods", "Clinics", "Logistics", "Partners", "Hotels", "Labs", "Works", "Trading")


def write_accounts(spec: StudySpec, path: Path, count: int, seed: int = 7, reference_seats: int = 25,
                   with_metrics: float = 0.8) -> None:
    """Write ``count`` accounts as CSV; about ``with_metrics`` of them carry their own amounts."""
    rng = random.Random(seed)
    model = spec.roi_model
    amounts = yearly_amounts(spec)
    columns = ["id", "name", "segment", "industry", "seats", "adopted_use_cases",
               *(f"benefit.{b.id}" for b in model.benefits), *(f"cost.{c.id}" for c in model.costs),
               *(f"initial_cost.{c.id}" for c in model.costs)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        for i in range(count):
            segment, lo, hi = rng.choice(SEGMENTS)
            seats = rng.randint(lo, hi)
            scale = Decimal(seats) / reference_seats
            adopted = [u.id for u in spec.use_cases if rng.random() < 0.6]
            row = [f"acct-{i + 1:05d}", f"{rng.choice(NAMES)} {rng.choice(SUFFIXES)} {i + 1}", segment,
                   rng.choice(INDUSTRIES), seats, ";".join(adopted)]
            if rng.random() < with_metrics:
                spread = Decimal(rng.randint(70, 130)) / 100
                row += [(amounts[b.id][0] * scale * spread).quantize(Decimal(1)) for b in model.benefits]
                row += [(amounts[c.id][0] * scale).quantize(Decimal(1)) for c in model.costs]
                row += [(c.initial * scale).quantize(Decimal(1)) for c in model.costs]
            else:
                row += [""] * (len(model.benefits) + 2 * len(model.costs))
            out.writerow(row)
