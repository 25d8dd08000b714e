"""Display figures for one study: its locale, currency and digit choice bound once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import money


@dataclass(frozen=True)
class Figures:
    """Formats values the way the study asks (locale, currency, native digits)."""

    locale: str
    currency: str
    native_digits: bool = False

    def money(self, amount: Decimal, compact: bool = True) -> str:
        return money.format_money(amount, self.currency, self.locale, compact=compact, native_digits=self.native_digits,
                                  decimals=None if compact else 0)

    def percent(self, value_pct: Decimal) -> str:
        return money.format_percent(value_pct, self.locale, self.native_digits)

    def number(self, value: Decimal, decimals: int | None = None) -> str:
        return money.format_number(value, self.locale, self.native_digits, decimals)

    def months(self, months: Decimal | None) -> str | None:
        return money.format_months(months, self.locale, self.native_digits)

    def duration(self, value: Decimal, unit: str) -> str:
        """Hours or days with the locale's unit words ("120 hours", "১২০ ঘণ্টা")."""
        from babel.units import format_unit

        for length in ("long", "short", "narrow"):  # CLDR lacks some lengths for bn/th
            text = format_unit(value, f"duration-{unit[:-1]}", length=length, format="#,##0.#",
                               locale=money.babel_locale(self.locale))
            if "duration-" not in text:
                break
        return money.to_native_digits(text, self.locale) if self.native_digits else text

    def value(self, value: Decimal | None, unit: str) -> str:
        """Any stat value by its unit; None (not reached) as an em dash."""
        if value is None:
            return "—"
        if unit == "percent":
            return self.percent(value)
        if unit == "money":
            return self.money(value)
        if unit == "months":
            return self.months(value) or "—"
        if unit == "multiple":
            return self.number(value, 1) + "×"
        if unit in ("hours", "days"):
            return self.duration(value, unit)
        return self.number(value, 0)
