"""Locale-aware display of money, percentages, numbers and months, via Babel.

This is the only place figures get rounded, and always ROUND_HALF_UP (0.125 → 0.13),
because readers and analysts checking a document by hand expect half-up, not Babel's
default banker's rounding. Locales are BCP 47 tags ("en", "en-GB", "bn", "th"); Babel
Locale objects and number patterns are cached because batch jobs format thousands of
figures per document.

Native digits: CLDR formats Bengali and Thai with ASCII digits by default; with
``native_digits=True`` the digits are replaced by the locale's native ones (Bengali
০-৯, Thai ๐-๙). Locales whose native digits are ASCII are left as they are; other
native digit sets are not supported and raise ValueError rather than print wrong digits.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError, numbers
from babel.units import format_unit

from ..caches import NamedCache
from ..text.languages import DIGITS as _NATIVE_DIGITS

_HUNDRED = Decimal(100)


@lru_cache(maxsize=256)
def babel_locale(tag: str) -> Locale:
    """The Babel Locale for a BCP 47 tag ("en-GB" → en_GB); ValueError if unknown."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown locale {tag!r}") from exc


@lru_cache(maxsize=256)
def _digit_table(tag: str) -> dict[int, int] | None:
    loc = babel_locale(tag)
    system = loc.other_numbering_systems.get("native", loc.default_numbering_system)
    if system == "latn":
        return None
    if system not in _NATIVE_DIGITS:
        raise ValueError(f"native digits ({system}) for locale {tag!r} are not supported")
    return str.maketrans("0123456789", _NATIVE_DIGITS[system])


def to_native_digits(s: str, locale: str) -> str:
    """Replace ASCII digits in ``s`` with ``locale``'s native digits (bn, th)."""
    table = _digit_table(locale)
    return s if table is None else s.translate(table)


@lru_cache(maxsize=1024)
def _pattern(tag: str, kind: str, decimals: int) -> numbers.NumberPattern:
    """The locale's standard pattern of ``kind`` showing exactly ``decimals`` fraction digits."""
    loc = babel_locale(tag)
    formats = {"decimal": loc.decimal_formats, "percent": loc.percent_formats, "currency": loc.currency_formats}
    pattern: numbers.NumberPattern = copy.copy(formats[kind][None if kind != "currency" else "standard"])
    pattern.frac_prec = (decimals, decimals)
    return pattern


def _finish(text: str, locale: str, native_digits: bool) -> str:
    return to_native_digits(text, locale) if native_digits else text


_MONEY: NamedCache[tuple[Any, ...], str] = NamedCache("model.money.formatted", 4096)


def _memo(fn: Callable[..., str]) -> Callable[..., str]:
    """Remember a formatter's answers: a batch formats the study's figures again for every
    account (dozens a packet, each through Babel).  The key is the amount's exact text and
    type (``Decimal("1.0")`` and ``Decimal("1.00")`` are equal but not the same amount)."""
    @functools.wraps(fn)
    def cached(amount: Any, *args: Any, **kwargs: Any) -> str:
        key = (type(amount), str(amount), args, tuple(sorted(kwargs.items())))
        hit = _MONEY.get(key)
        if hit is None:
            hit = _MONEY[key] = fn(amount, *args, **kwargs)
        return hit
    return cached


@_memo
def format_money(
    amount: Decimal,
    currency: str,
    locale: str,
    compact: bool = False,
    native_digits: bool = False,
    decimals: int | None = None,
) -> str:
    """Money in ``locale``'s style: "$6,200,000.00", or "$6.2M" with ``compact``.

    ``decimals`` is the number of fraction digits: by default the currency's own (2 for
    USD) in full form and at most 1 in compact form. Compact form uses the locale's CLDR
    short currency patterns; Bengali shows lakh/crore as words with three significant digits
    ("62 লাখ৳"); Thai uses CLDR's long compact words, whose short forms are Latin ("฿6.2 ล้าน",
    not "฿6.2M"). A negative amount that rounds to zero prints as zero without a sign.
    """
    loc = babel_locale(locale)
    language = locale.split("-")[0].lower()
    if compact and language == "bn":
        return _finish(_bn_compact(amount, currency, loc), locale, native_digits)
    if compact and language in LONG_COMPACT:
        return _finish(_long_compact(amount, currency, loc, 1 if decimals is None else decimals), locale, native_digits)
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        if compact:
            digits = 1 if decimals is None else decimals
            amount = _round_for_compact(amount, loc.compact_currency_formats["short"]["other"], digits)
            text = numbers.format_compact_currency(amount, currency, locale=loc, fraction_digits=digits)
        elif decimals is None:
            text = numbers.format_currency(amount, currency, locale=loc)
        else:
            pattern = _pattern(locale, "currency", decimals)
            text = numbers.format_currency(amount, currency, format=pattern, locale=loc, currency_digits=False)
    if amount.is_signed() and not any(ch in "123456789" for ch in text):  # rounds to zero: "$0", never "-$0"
        return format_money(Decimal(0), currency, locale, compact, native_digits, decimals)
    return _finish(_currency_spacing(text), locale, native_digits)


_LETTER_THEN_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")


def _currency_spacing(text: str) -> str:
    """CLDR currency spacing, which Babel does not apply: a symbol ending in a letter
    ("BDT", "CHF") gets a no-break space before the digits ("BDT\u00a0151.2K")."""
    return _LETTER_THEN_DIGIT.sub("\u00a0", text, count=1)


_BN_WORDS = ((Decimal(10) ** 7, "কোটি"), (Decimal(10) ** 5, "লাখ"), (Decimal(10) ** 3, "হাজার"))


def _bn_compact(amount: Decimal, currency: str, loc: Locale) -> str:
    """Bengali compact money: crore, lakh or thousand as words (CLDR's long Bengali forms),
    three significant digits, and the sign and currency symbol where CLDR's standard Bengali
    pattern puts them (minus first, symbol after the number): 10,300,000 -> "1.03 কোটি৳",
    -4,500,000 -> "-45 লাখ৳" (native digits added by the caller).  The amount is rounded to
    three significant digits before its word is chosen, so 99,960 is "1 লাখ৳", never
    "100 হাজার৳"."""
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        if abs(amount) >= 1000:
            quantum = Decimal(1).scaleb(abs(amount).adjusted() - 2)
            amount = (amount / quantum).to_integral_value() * quantum
        else:
            amount = amount.to_integral_value()
        for size, word in _BN_WORDS:
            if abs(amount) >= size:
                scaled = amount / size
                break
        else:
            size, word, scaled = Decimal(1), "", amount
        whole = len(str(int(abs(scaled)))) if abs(scaled) >= 1 else 1  # exact: already three digits
        places = max(0, 3 - whole) if word else 0
        scaled = scaled.quantize(Decimal(1).scaleb(-places))
        number = numbers.format_decimal(abs(scaled), format=f"#,##0.{'#' * places}" if places else "#,##0", locale=loc)
    pattern = numbers.parse_pattern(loc.currency_formats["standard"].pattern)
    symbol = numbers.get_currency_symbol(currency, locale=loc)
    core = f"{number}\u00a0{word}" if word else number
    negative = scaled < 0 and any(ch in "123456789" for ch in core)  # rounds to zero: never "-0"
    prefix, suffix = pattern.prefix[1 if negative else 0], pattern.suffix[1 if negative else 0]
    return f"{prefix}{core}{suffix}".replace("¤", symbol).replace("-", loc.number_symbols["latn"]["minusSign"])


LONG_COMPACT = frozenset({"th"})  # languages whose compact money is CLDR's long form (its short form is Latin)


def _long_compact(amount: Decimal, currency: str, loc: Locale, digits: int) -> str:
    """Compact money in CLDR's long decimal form inside the locale's standard currency
    pattern, with a no-break space before the word so the figure never wraps:
    th 6,200,000 -> "฿6.2\u00a0ล้าน", -1,000,000 -> "-฿1\u00a0ล้าน" (CLDR's minus sign)."""
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        amount = _round_for_compact(amount, loc.compact_decimal_formats["long"]["other"], digits)
        number = numbers.format_compact_decimal(abs(amount), format_type="long", locale=loc, fraction_digits=digits)
    pattern = numbers.parse_pattern(loc.currency_formats["standard"].pattern)
    symbol = numbers.get_currency_symbol(currency, locale=loc)
    negative = amount < 0 and any(ch in "123456789" for ch in number)  # rounds to zero: never "-0"
    prefix, suffix = pattern.prefix[1 if negative else 0], pattern.suffix[1 if negative else 0]
    text = f"{prefix}{number.replace(' ', chr(0xA0))}{suffix}".replace("¤", symbol)
    return _currency_spacing(text.replace("-", loc.number_symbols["latn"]["minusSign"]))


def _round_for_compact(amount: Decimal, patterns: dict[str, str], digits: int) -> Decimal:
    """Round ``amount`` to what its compact form shows, so 999,999 becomes "$1M", not "$1000K".

    Babel picks the magnitude before rounding; rounding first lets it pick the right one.
    Amounts the locale shows in full (below its first compact magnitude, or a "0"
    pattern as German uses for thousands) are rounded to whole units.
    """
    quantum = Decimal(1)
    for magnitude in sorted((int(m) for m in patterns), reverse=True):
        if abs(amount) >= magnitude:
            pattern = numbers.parse_pattern(patterns[str(magnitude)]).pattern
            if pattern != "0":
                quantum = Decimal(magnitude // 10 ** (pattern.count("0") - 1)).scaleb(-digits)
            break
    return (amount / quantum).to_integral_value(ROUND_HALF_UP) * quantum


def format_money_axis(
    values: list[Decimal], currency: str, locale: str, native_digits: bool = False
) -> tuple[str, ...]:
    """Labels for a chart's value-axis ticks: every tick in the unit of the largest one,
    with the fraction digits the ticks need, so the axis reads "$0", "$0.5M", "$1.0M",
    "$1.5M" (th "฿0", "฿2\u00a0ล้าน", "-฿2\u00a0ล้าน") and one number format can print it.
    Bengali keeps lakh and crore per tick ("৫০ লাখ৳", "১ কোটি৳"), as Bengali readers count;
    ticks below the locale's first compact magnitude are whole amounts."""
    loc = babel_locale(locale)
    language = locale.split("-")[0].lower()
    big = max((abs(v) for v in values), default=Decimal(0))
    if language == "bn":
        return tuple(format_money(v, currency, locale, compact=True, native_digits=native_digits) for v in values)
    patterns = (loc.compact_decimal_formats["long"] if language in LONG_COMPACT else loc.compact_currency_formats["short"])["other"]
    chosen = None
    for magnitude in sorted((int(m) for m in patterns), reverse=True):
        if big >= magnitude:
            pattern = numbers.parse_pattern(patterns[str(magnitude)])
            if pattern.pattern != "0":
                chosen = (Decimal(magnitude // 10 ** (pattern.pattern.count("0") - 1)), pattern)
            break
    if chosen is None:
        return tuple(format_money(v, currency, locale, compact=True, native_digits=native_digits) for v in values)
    scale, pattern = chosen
    scaled = [v / scale for v in values]
    digits = next((d for d in range(3) if all(x == x.quantize(Decimal(1).scaleb(-d)) for x in scaled)), 2)
    symbol = numbers.get_currency_symbol(currency, locale=loc)
    standard = numbers.parse_pattern(loc.currency_formats["standard"].pattern)
    minus = loc.number_symbols["latn"]["minusSign"]
    out = []
    for v, x in zip(values, scaled):
        if v == 0:
            out.append(format_money(Decimal(0), currency, locale, compact=True, native_digits=native_digits))
            continue
        with localcontext() as ctx:
            ctx.rounding = ROUND_HALF_UP
            number = numbers.format_decimal(abs(x), format="#,##0." + "0" * digits if digits else "#,##0", locale=loc)
        body = f"{pattern.prefix[0]}{number}{pattern.suffix[0]}".replace(" ", "\u00a0")
        if "¤" in body:  # a currency pattern (short): the sign goes first, as Babel writes it
            text = ("-" if v < 0 else "") + body.replace("¤", symbol)
        else:  # a decimal pattern (long words) inside the standard currency pattern
            neg = 1 if v < 0 else 0
            text = f"{standard.prefix[neg]}{body}{standard.suffix[neg]}".replace("¤", symbol)
        out.append(_finish(_currency_spacing(text.replace("-", minus)), locale, native_digits))
    return tuple(out)


def format_percent(value_pct: Decimal, locale: str, native_digits: bool = False, decimals: int = 0) -> str:
    """A value already in percent units, in ``locale``'s style: 212 → "212%" (de: "212 %")."""
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        text = numbers.format_percent(
            value_pct / _HUNDRED, format=_pattern(locale, "percent", decimals), locale=babel_locale(locale)
        )
    return _finish(text, locale, native_digits)


def format_number(value: Decimal, locale: str, native_digits: bool = False, decimals: int | None = None) -> str:
    """A plain number in ``locale``'s style ("12,34,567" in bn); ``decimals`` fixes the
    fraction digits, None keeps Babel's default of up to 3."""
    loc = babel_locale(locale)
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        if decimals is None:
            text = numbers.format_decimal(value, locale=loc)
        else:
            text = numbers.format_decimal(value, format=_pattern(locale, "decimal", decimals), locale=loc)
    return _finish(text, locale, native_digits)


def format_months(
    months: Decimal | None, locale: str, native_digits: bool = False, decimals: int = 1
) -> str | None:
    """A duration in months with up to ``decimals`` fraction digits: "6.4 months", "27 months".

    None (payback not reached) stays None: how to say so belongs to the document.
    CLDR gives some locales (bn) only a short month unit; Babel does not inherit it
    into the long form, so we fall back to the short one ourselves.
    """
    if months is None:
        return None
    pattern = "#,##0." + "#" * decimals if decimals else "#,##0"
    loc = babel_locale(locale)
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        for length in ("long", "short"):
            text = format_unit(months, "duration-month", length=length, format=pattern, locale=loc)
            if not text.endswith("duration-month"):  # Babel's text when a length has no pattern
                break
    return _finish(text, locale, native_digits)


def quarter_label(year: int, quarter: int, locale: str) -> str:
    """A calendar quarter as CLDR writes it in ``locale`` (the ``yQQQ`` skeleton): "Q3 2025",
    bn "৩য় ত্রৈমাসিক 2025", th "ไตรมาส 3 2025"."""
    import datetime as dt

    from babel.dates import format_skeleton

    return str(format_skeleton("yQQQ", dt.date(year, quarter * 3 - 2, 1), locale=babel_locale(locale)))


def apportion(values: list[Decimal], quantum: Decimal) -> list[Decimal]:
    """Round ``values`` to multiples of ``quantum`` so that they add up to their rounded total.

    Largest-remainder method: every value is rounded down, then the units still missing
    from the total go to the values with the largest remainders (ties to the earlier
    value). A table of shares then sums to the caption printed above it.
    """
    if not values:
        return []
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        units = [v / quantum for v in values]
        total = sum(units, Decimal(0)).to_integral_value()
        floors = [u.to_integral_value(rounding="ROUND_FLOOR") for u in units]
        missing = int(total - sum(floors, Decimal(0)))
        order = sorted(range(len(units)), key=lambda i: (-(units[i] - floors[i]), i))
        for i in order[:missing]:
            floors[i] += 1
        return [f * quantum for f in floors]
