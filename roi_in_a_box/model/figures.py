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
    payback_style: str = "one_decimal"  # study.payback_display

    def money(self, amount: Decimal, compact: bool = True) -> str:
        return money.format_money(amount, self.currency, self.locale, compact=compact, native_digits=self.native_digits,
                                  decimals=None if compact else 0)

    def money_axis(self, ticks: list[Decimal]) -> tuple[str, ...]:
        """A chart axis's tick labels, one unit for the whole axis (:func:`money.format_money_axis`)."""
        return money.format_money_axis(ticks, self.currency, self.locale, self.native_digits)

    def percent(self, value_pct: Decimal) -> str:
        return money.format_percent(value_pct, self.locale, self.native_digits)

    def number(self, value: Decimal, decimals: int | None = None) -> str:
        return money.format_number(value, self.locale, self.native_digits, decimals)

    def months(self, months: Decimal | None) -> str | None:
        return money.format_months(months, self.locale, self.native_digits)

    def payback(self, months: Decimal | None) -> str | None:
        """A payback period the way the study prints it: "4.5 months" (one_decimal), "5 months"
        (whole_months, rounded up so it never flatters), or "< 6 months" (buckets of 3, 6, 12,
        18, 24 and 36 months; whole months beyond). None (not reached) stays None."""
        if months is None or self.payback_style == "one_decimal":
            return self.months(months)
        whole = months.to_integral_value(rounding="ROUND_CEILING")
        if self.payback_style == "buckets":
            bound = next((b for b in (3, 6, 12, 18, 24, 36) if months < b), None)
            if bound is not None:
                return "< " + (money.format_months(Decimal(bound), self.locale, self.native_digits, 0) or "")
        return money.format_months(whole, self.locale, self.native_digits, 0)

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
