"""Numbers as people read them: 16,281 rather than 1.628e+04 or 16281.0000."""

from __future__ import annotations

import math


def readable(value: float) -> str:
    """A whole number with thousands separators; a large one to one decimal; a small one to
    four significant digits, in exponent form only below 0.001."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.1f}"
    if abs(value) >= 0.001:
        return f"{value:.4g}"
    return f"{value:.2e}"
