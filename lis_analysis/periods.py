"""Periods as a reader says them (standard library only, so every layer can use it)."""

from __future__ import annotations

import re
from calendar import month_abbr, month_name
from typing import Any

_ISO_YEAR = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:/P1Y)?$")


def period_label(period: Any) -> str:
    """A period as a reader says it: '2023-01-01/P1Y' -> '2023'; '2023-04-01/P1Y' ->
    'Apr 2023 to Mar 2024'; '2026-01-01' -> 'January 2026'; '2018-2023' and '2023'
    unchanged."""
    p = str(period)
    m = _ISO_YEAR.match(p)
    if m:
        y, mo, d = m.groups()
        if p.endswith("/P1Y"):
            return (
                y
                if (mo, d) == ("01", "01")
                else f"{month_abbr[int(mo)]} {y} to {month_abbr[(int(mo) - 2) % 12 + 1]} {int(y) + 1}"
            )
        return f"{month_name[int(mo)]} {y}"
    return p
