"""The customer-journey stages: the one definition every other module reads."""

from __future__ import annotations

from typing import Literal, get_args

Stage = Literal["pre_sale", "onboarding", "service", "renewal"]
STAGES: tuple[Stage, ...] = get_args(Stage)
TITLES: dict[str, str] = {"pre_sale": "Pre-sale", "onboarding": "Onboarding", "service": "Service",
                          "renewal": "Renewal"}
