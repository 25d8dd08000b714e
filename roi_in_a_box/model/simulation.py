"""Risk as ranges: a seeded Monte Carlo over the drivers' ranges, and a one-at-a-time
sensitivity of NPV to each ranged driver (the tornado chart's data).

Monte Carlo. Each driver with a ``low``/``high`` range is drawn from a triangular
distribution (low, its value, high), once per iteration and used for every year (a driver
that is high in year 1 stays high: the years are fully correlated, the conservative
choice). Drivers without a range and lines with fixed amounts keep their values; every
line keeps its TEI risk adjustment. Each iteration runs the same model as the
deterministic engine (risk adjustment, discounting, NPV, ROI, payback by the "stays paid
back" rule) in float64 arithmetic with numpy's PCG64 generator seeded from the spec, so
the same spec always gives the same percentiles and the same documents. Percentiles use
the inverted-CDF method (an actual iteration's value, no interpolation), so a payback
never reached (infinite) can be a percentile and reads "beyond horizon".

Sensitivity. Each ranged driver in turn is set to its low and then its high end for every
year, all else at its value, and the exact (Decimal) model gives NPV; drivers are ordered
by the size of the swing.

numpy is imported only to run the simulation, and a simulation's percentiles are kept in
the user's cache folder (``disk_cache``) under the hash of every input and of this code,
so a fresh ``check`` or build of an unchanged model needs no numpy at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import disk_cache
from ..spec.schema import CashLine as SpecLine
from ..spec.schema import StudySpec
from . import formula, roi
from .drivers import PERCENT_UNITS, DriverRow, LineCalc, _line, letters
from .formula import Node, parse

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Percentiles:
    p10: Decimal | None  # None: not reached (payback beyond the horizon)
    p50: Decimal | None
    p90: Decimal | None


@dataclass(frozen=True)
class MonteCarlo:
    iterations: int
    seed: int
    distribution: str
    inputs: tuple[str, ...]  # "A2 Team hours saved per close" for each ranged driver
    roi_pct: Percentiles
    npv: Percentiles
    payback_months: Percentiles
    p_roi_positive: Decimal  # fraction of iterations with ROI > 0


@dataclass(frozen=True)
class Swing:
    """NPV with one driver at its low and at its high end, everything else unchanged."""

    line_id: str
    ref: str
    label: str
    low: Decimal
    high: Decimal
    npv_low: Decimal
    npv_high: Decimal

    @property
    def width(self) -> Decimal:
        return abs(self.npv_high - self.npv_low)


@dataclass(frozen=True)
class RiskAnalysis:
    monte_carlo: MonteCarlo
    sensitivity: tuple[Swing, ...]  # widest swing first
    base_npv: Decimal


def _lines(spec: StudySpec) -> list[tuple[SpecLine, bool]]:
    return [(ln, True) for ln in spec.roi_model.benefits] + [(ln, False) for ln in spec.roi_model.costs]


def _triangular(u: np.ndarray, a: float, c: float, b: float) -> np.ndarray:
    """Inverse CDF of triangular(a, c, b) at ``u`` (a degenerate range gives its value)."""
    import numpy as np

    if b <= a:
        return np.full_like(u, c)
    fc = (c - a) / (b - a)
    lower = a + np.sqrt(u * (b - a) * (c - a))
    upper = b - np.sqrt((1 - u) * (b - a) * (b - c))
    return np.where(u < fc, lower, upper)


def _eval_array(node: Node, values: dict[str, np.ndarray]) -> np.ndarray:
    """The formula tree over arrays (same grammar as ``formula``, float arithmetic)."""
    import numpy as np

    if isinstance(node, Decimal):
        return np.asarray(float(node))
    kind = node[0]
    if kind == "name":
        return values[node[1]]
    if kind == "neg":
        return -_eval_array(node[1], values)
    if kind in ("min", "max"):
        args = np.broadcast_arrays(*(_eval_array(a, values) for a in node[1]))
        return np.asarray(np.minimum.reduce(args) if kind == "min" else np.maximum.reduce(args))
    a, b = _eval_array(node[1], values), _eval_array(node[2], values)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray({"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}[kind](a, b))


def _quantiles(x: np.ndarray) -> Percentiles:
    import numpy as np

    q = np.quantile(x, [0.1, 0.5, 0.9], method="inverted_cdf")
    return Percentiles(*(None if not np.isfinite(v) else Decimal(repr(round(float(v), 6))) for v in q))


def _ranged(spec: StudySpec, calcs: dict[str, LineCalc]) -> list[tuple[str, DriverRow]]:
    return [(ln.id, row) for ln, _ in _lines(spec) if ln.id in calcs for row in calcs[ln.id].rows
            if row.low is not None and row.high is not None]


def _cache_key(spec: StudySpec, calcs: dict[str, LineCalc]) -> str:
    """Everything the simulation reads, the code that runs it and numpy's version, hashed."""
    m = spec.roi_model
    ranged = [(line_id, row.name, row.ref, row.label, row.unit in PERCENT_UNITS, str(row.low), str(row.high),
               [str(v) for v in row.used]) for line_id, row in _ranged(spec, calcs)]
    lines = [(ln.id, is_benefit, str(ln.initial), str(ln.risk), [str(v) for v in ln.yearly],
              (ln.formula or "", [(row.name, [str(v) for v in row.used]) for row in calcs[ln.id].rows])
              if ln.id in calcs else None) for ln, is_benefit in _lines(spec)]
    return disk_cache.key("monte-carlo", disk_cache.source_hash(__file__, formula.__file__), disk_cache.version("numpy"),
                          m.horizon_years, str(m.discount_rate), m.simulation.model_dump(mode="json"), ranged, lines)


def _to_json(v: Any) -> Any:
    """Decimals as their exact strings (``Decimal(str(d))`` is ``d``, exponent included)."""
    if isinstance(v, dict):
        return {k: _to_json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_to_json(x) for x in v]
    return str(v) if isinstance(v, Decimal) else v


def _from_json(v: dict[str, Any]) -> MonteCarlo:
    def pct(p: dict[str, str | None]) -> Percentiles:
        return Percentiles(*(None if p[k] is None else Decimal(p[k]) for k in ("p10", "p50", "p90")))  # type: ignore[arg-type]

    return MonteCarlo(int(v["iterations"]), int(v["seed"]), str(v["distribution"]), tuple(v["inputs"]),
                      pct(v["roi_pct"]), pct(v["npv"]), pct(v["payback_months"]), Decimal(v["p_roi_positive"]))


def monte_carlo(spec: StudySpec, calcs: dict[str, LineCalc]) -> MonteCarlo | None:
    """The simulation described in the module docstring; None when no driver has a range.
    A result kept from an earlier run with the same inputs is used as it is."""
    if not _ranged(spec, calcs):
        return None
    name = _cache_key(spec, calcs)
    kept = disk_cache.load("monte-carlo", name)
    if kept is not None:
        try:
            return _from_json(kept)
        except (KeyError, TypeError, ValueError, ArithmeticError):
            pass
    result = _simulate(spec, calcs)
    disk_cache.store("monte-carlo", name, _to_json(asdict(result)))
    return result


def _simulate(spec: StudySpec, calcs: dict[str, LineCalc]) -> MonteCarlo:
    import numpy as np

    sim, m = spec.roi_model.simulation, spec.roi_model
    n, N = m.horizon_years, sim.iterations
    ranged = _ranged(spec, calcs)
    rng = np.random.default_rng(sim.seed)
    u = rng.random((len(ranged), N))
    drawn: dict[tuple[str, str], np.ndarray] = {}
    for k, (line_id, row) in enumerate(ranged):
        scale = 100.0 if row.unit in PERCENT_UNITS else 1.0
        a, b = float(row.low) / scale, float(row.high) / scale  # type: ignore[arg-type]
        drawn[(line_id, row.name)] = np.stack([_triangular(u[k], a, float(c), b) for c in row.used])
    rate = float(m.discount_rate)
    disc = np.array([(1 + rate) ** -t for t in range(n + 1)])[:, None]
    flows = np.zeros((n + 1, N))  # risk-adjusted net per period, period 0 = initial
    pv_b = np.zeros(N)
    pv_c = np.zeros(N)
    for ln, is_benefit in _lines(spec):
        if ln.id in calcs:
            tree = parse(ln.formula or "").tree
            values = {row.name: drawn.get((ln.id, row.name), np.array([float(v) for v in row.used])[:, None])
                      for row in calcs[ln.id].rows}
            yearly = np.broadcast_to(_eval_array(tree, values), (n, N))
        else:
            yearly = np.broadcast_to(np.array([float(v) for v in ln.yearly[:n]])[:, None], (n, N))
        amounts = np.vstack([np.full((1, N), float(ln.initial)), yearly])
        amounts = amounts * (1 - float(ln.risk) if is_benefit else 1 + float(ln.risk))
        pv = (amounts * disc).sum(axis=0)
        if is_benefit:
            flows += amounts
            pv_b += pv
        else:
            flows -= amounts
            pv_c += pv
    npv = pv_b - pv_c
    roi_pct = npv / pv_c * 100
    cum = np.cumsum(flows, axis=0)
    periods = np.arange(n + 1)[:, None]
    last_neg = np.where(cum < 0, periods, -1).max(axis=0)
    safe = np.clip(last_neg, 0, n - 1)
    cols = np.arange(N)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = 12 * safe + 12 * -cum[safe, cols] / flows[safe + 1, cols]
    payback = np.where(cum[-1] < 0, np.inf, np.where(last_neg < 0, 0.0, crossing))
    names = tuple(f"{row.ref} {row.label}" for _, row in ranged)
    return MonteCarlo(N, sim.seed, sim.distribution, names, _quantiles(roi_pct), _quantiles(npv),
                      _quantiles(payback), Decimal(int((roi_pct > 0).sum())) / Decimal(N))


def sensitivity(spec: StudySpec, calcs: dict[str, LineCalc]) -> tuple[Decimal, tuple[Swing, ...]]:
    """Base NPV and each ranged driver's NPV at its low and high end (exact model)."""
    m = spec.roi_model
    letter = letters(spec)

    def npv(override: tuple[str, str, Decimal] | None) -> Decimal:
        benefits: list[roi.CashLine] = []
        costs: list[roi.CashLine] = []
        for ln, is_benefit in _lines(spec):
            yearly = tuple(ln.yearly)
            if ln.id in calcs:
                changed = ln
                if override is not None and override[0] == ln.id:
                    drivers = [d.model_copy(update={"value": override[2], "yearly": []}) if d.name == override[1]
                               else d for d in ln.drivers]
                    changed = ln.model_copy(update={"drivers": drivers})
                yearly = _line(changed, m.horizon_years, letter[ln.id]).amounts
            line = roi.CashLine(ln.id, ln.label, getattr(ln, "roi_type", None) if is_benefit else None,
                                ln.initial, yearly, ln.risk)
            (benefits if is_benefit else costs).append(line)
        return roi.compute_model(roi.RoiModelInput(tuple(benefits), tuple(costs), m.horizon_years,
                                                   m.discount_rate)).npv

    swings = []
    for ln, _ in _lines(spec):
        for row in calcs[ln.id].rows if ln.id in calcs else ():
            if row.low is not None and row.high is not None:
                swings.append(Swing(ln.id, row.ref, row.label, row.low, row.high, npv((ln.id, row.name, row.low)),
                                    npv((ln.id, row.name, row.high))))
    return npv(None), tuple(sorted(swings, key=lambda s: (-s.width, s.ref)))


def analyse_risk(spec: StudySpec, calcs: dict[str, LineCalc]) -> RiskAnalysis | None:
    """Monte Carlo and sensitivity together; None when no driver has a range."""
    mc = monte_carlo(spec, calcs)
    if mc is None:
        return None
    base, swings = sensitivity(spec, calcs)
    return RiskAnalysis(mc, swings, base)
