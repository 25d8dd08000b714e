"""Reporting periods of an account's actuals: calendar quarters ("2025-Q3") or years ("2025").

CS teams report realised value per quarter or per year; the study's model counts
contract years.  A period is placed on the model's years by counting from the account's
start date (``start``; without one, from its first period): the quarter holding the
start is quarter 1 of year 1, the calendar year holding it is year 1.  CRM exports
write periods many ways ("Q3-2025", "Q3 2025", "FY2025 Q3", "2025 Q3"); they are all
read here, so the accounts file and the importer agree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_FORMS = (
    re.compile(r"^(?:FY)?\s*(?P<y>\d{4})\s*[-/ ]?\s*Q(?P<q>[1-4])$", re.IGNORECASE),  # 2025-Q3, 2025 Q3, FY2025Q3
    re.compile(r"^Q(?P<q>[1-4])\s*[-/ ]?\s*(?:FY)?\s*(?P<y>\d{4})$", re.IGNORECASE),  # Q3-2025, Q3 FY2025
    re.compile(r"^(?:FY)?\s*(?P<y>\d{4})$", re.IGNORECASE),                           # 2025, FY2025
)


@dataclass(frozen=True)
class Period:
    """A calendar quarter (``quarter`` 1-4) or a whole year (``quarter`` None)."""

    year: int
    quarter: int | None = None

    @property
    def key(self) -> str:
        """The canonical spelling, as accounts files write it: "2025-Q3" or "2025"."""
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    def ordinal(self) -> int:
        """Quarters since year 0 (a year period counts from its first quarter)."""
        return self.year * 4 + (self.quarter or 1) - 1

    def __lt__(self, other: Period) -> bool:  # a year sorts before its own first quarter
        return (self.ordinal(), self.quarter or 0) < (other.ordinal(), other.quarter or 0)


def parse_period(text: str) -> Period:
    """A period from any common spelling; ``ValueError`` with the forms accepted otherwise."""
    s = text.strip()
    for form in _FORMS:
        m = form.match(s)
        if m:
            year = int(m.group("y"))
            if not 1990 <= year <= 2100:
                break
            q = m.groupdict().get("q")
            return Period(year, int(q) if q else None)
    raise ValueError(f"period {s[:30]!r} is not a quarter or a year (expected e.g. 2025-Q3, Q3 2025 or 2025)")


def start_period(start: dt.date, quarterly: bool) -> Period:
    return Period(start.year, (start.month - 1) // 3 + 1 if quarterly else None)


def model_year(period: Period, first: Period) -> int:
    """The model year (1-based) a period falls in, counting from ``first`` (same kind)."""
    if period.quarter is None:
        return period.year - first.year + 1
    return (period.ordinal() - first.ordinal()) // 4 + 1
