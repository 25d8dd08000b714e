"""Display formatting: CLDR styles per locale, half-up rounding, native digits."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from roi_in_a_box.model.money import (
    babel_locale,
    format_money,
    format_months,
    format_number,
    format_percent,
    to_native_digits,
)

NBSP = "\xa0"


def test_en_usd() -> None:
    assert format_money(D(6200000), "USD", "en") == "$6,200,000.00"
    assert format_money(D(6200000), "USD", "en", compact=True) == "$6.2M"
    assert format_money(D(50000), "USD", "en", compact=True) == "$50K"
    assert format_money(D("1234567.5"), "USD", "en", decimals=0) == "$1,234,568"
    assert format_money(D(-6250000), "USD", "en", compact=True) == "-$6.3M"
    assert format_percent(D(212), "en") == "212%"
    assert format_percent(D("12.9703"), "en", decimals=1) == "13.0%"
    assert format_number(D("1234567.891"), "en") == "1,234,567.891"
    assert format_months(D("6.4"), "en") == "6.4 months"
    assert format_months(D(27), "en") == "27 months"
    assert format_months(None, "en") is None


def test_rounding_is_half_up() -> None:
    assert format_money(D("0.125"), "USD", "en") == "$0.13"  # Babel alone would give $0.12
    assert format_percent(D("12.5"), "en") == "13%"
    assert format_months(D("6.45"), "en") == "6.5 months"


def test_compact_rounds_into_the_next_magnitude() -> None:
    assert format_money(D(999999), "USD", "en", compact=True) == "$1M"  # not "$1000K"
    assert format_money(D("950.55"), "USD", "en", compact=True) == "$951"


def test_en_gb_bcp47_tag() -> None:
    assert babel_locale("en-GB") is babel_locale("en-GB")  # cached
    assert str(babel_locale("en-GB")) == "en_GB"
    # The product decides: pound sign first, one decimal, the locale's own CLDR abbreviation
    # for millions ("M" in older CLDR, "m" since CLDR 46), whatever the installed Babel says.
    million = babel_locale("en-GB").compact_currency_formats["short"]["other"]["1000000"].pattern
    suffix = million.replace("¤", "").replace("0", "")
    assert format_money(D(6200000), "GBP", "en-GB", compact=True) == f"£6.2{suffix}"
    assert suffix.lower() == "m"
    with pytest.raises(ValueError, match="unknown locale"):
        babel_locale("xx-YY")


def test_bn_bdt_native_digits() -> None:
    # Indian-style grouping (lakh) and the taka sign after the number, per CLDR.
    assert format_money(D(6200000), "BDT", "bn") == "62,00,000.00৳"
    assert format_money(D(6200000), "BDT", "bn", native_digits=True) == "৬২,০০,০০০.০০৳"
    # compact: lakh/crore as words, three significant digits, the sign where CLDR's pattern puts it
    assert format_money(D(6200000), "BDT", "bn", compact=True, native_digits=True) == f"৬২{NBSP}লাখ৳"  # 62 lakh
    assert format_money(D(10300000), "BDT", "bn", compact=True, native_digits=True) == f"১.০৩{NBSP}কোটি৳"
    assert format_money(D(512000), "BDT", "bn", compact=True, native_digits=True) == f"৫.১২{NBSP}লাখ৳"
    assert format_money(D(-4500000), "BDT", "bn", compact=True) == f"-45{NBSP}লাখ৳"
    assert format_percent(D(212), "bn", native_digits=True) == "২১২%"
    assert format_number(D(1234567), "bn", native_digits=True, decimals=0) == "১২,৩৪,৫৬৭"
    assert format_months(D("6.4"), "bn", native_digits=True) == "৬.৪ মাস"


def test_th_thb_native_digits() -> None:
    assert format_money(D(6200000), "THB", "th") == "฿6,200,000.00"
    assert format_money(D(6200000), "THB", "th", native_digits=True) == "฿๖,๒๐๐,๐๐๐.๐๐"
    # compact: CLDR's long Thai words (its short forms are Latin "M"), CLDR's minus sign,
    # a no-break space so the figure never wraps; read from babel, not typed in
    long = babel_locale("th").compact_decimal_formats["long"]["other"]
    assert long["1000000"].pattern == "0 ล้าน" and long["100000"].pattern == "0 แสน"
    assert format_money(D(6200000), "THB", "th", compact=True, native_digits=True) == f"฿๖.๒{NBSP}ล้าน"
    assert format_money(D(6200000), "THB", "th", compact=True) == f"฿6.2{NBSP}ล้าน"
    assert format_money(D(-1000000), "THB", "th", compact=True) == f"-฿1{NBSP}ล้าน"
    assert format_money(D(-999999), "THB", "th", compact=True) == f"-฿1{NBSP}ล้าน"  # rounded before the word
    assert format_money(D(150000), "THB", "th", compact=True) == f"฿1.5{NBSP}แสน"
    assert format_money(D(2500000000), "THB", "th", compact=True) == f"฿2.5{NBSP}พันล้าน"
    assert format_money(D(999), "THB", "th", compact=True) == "฿999"
    assert format_money(D("-0.4"), "THB", "th", compact=True) == "฿0"
    assert format_percent(D(212), "th", native_digits=True) == "๒๑๒%"
    assert format_months(D("6.4"), "th", native_digits=True) == "๖.๔ เดือน"


def test_to_native_digits() -> None:
    assert to_native_digits("0123456789", "bn") == "০১২৩৪৫৬৭৮৯"
    assert to_native_digits("0123456789", "th") == "๐๑๒๓๔๕๖๗๘๙"
    assert to_native_digits("$1,230", "en-GB") == "$1,230"  # native digits are ASCII
    with pytest.raises(ValueError, match="not supported"):
        to_native_digits("1", "ar")


def test_apportion_adds_up_to_the_rounded_total() -> None:
    from roi_in_a_box.model.money import apportion

    # The retailer's $6.2M split by cost: rounded one by one these read 6,200,001.
    parts = [D(6200000) * c / D(382250) for c in (50000, 30000, 75000, 17250, 210000)]
    whole = apportion(parts, D(1))
    assert sum(whole) == 6200000 and all(abs(w - p) < 1 for w, p in zip(whole, parts))
    assert sum(p.quantize(D(1)) for p in parts) != 6200000  # why apportioning is needed
    thirds = apportion([D(100) / 3] * 3, D(1))
    assert thirds == [34, 33, 33]
    assert apportion([], D(1)) == []


def test_no_negative_zero_and_space_after_a_code_symbol() -> None:
    assert format_money(D("-0.3"), "USD", "en", compact=True) == "$0"
    assert format_money(D("-0.004"), "USD", "en") == "$0.00"
    assert format_money(D("-0.3"), "USD", "en") == "-$0.30"  # visible cents keep their sign
    assert format_money(D("-40"), "USD", "en", compact=True) == "-$40"
    assert format_money(D(151200), "BDT", "en", compact=True) == "BDT\u00a0151.2K"
    assert format_money(D(-151200), "BDT", "en", compact=True) == "-BDT\u00a0151.2K"
    assert format_money(D(151200), "USD", "th", compact=True) == f"US$1.5{NBSP}แสน"  # a symbol, no space
    assert format_money(D(151200), "BDT", "bn", compact=True) == "1.51\u00a0লাখ৳"  # lakh, three significant digits
    assert format_money(D("-0.3"), "BDT", "bn", compact=True) == "0৳"


def test_payback_display_styles() -> None:
    from roi_in_a_box.model.figures import Figures

    for style, text in (("one_decimal", "4.5 months"), ("whole_months", "5 months"), ("buckets", "< 6 months")):
        assert Figures("en", "USD", payback_style=style).payback(D("4.54")) == text
    assert Figures("en", "USD", payback_style="buckets").payback(D(40)) == "40 months"
    assert Figures("en", "USD", payback_style="whole_months").payback(None) is None
    assert Figures("th", "THB", True, "buckets").payback(D("4.7")) == "< ๖ เดือน"
