"""Charts rendered on the server: Vega-Lite specs (Altair) turned into SVG by vl-convert, so
pages need no JavaScript and the Content-Security-Policy stays strict (the SVG carries no
script and no style attributes). Rendered charts are cached by their data."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import altair as alt
import vl_convert as vlc
from markupsafe import Markup

from charter.domain.evidence import CheckResult

WIDTH = 520


@lru_cache(maxsize=256)
def _svg(spec: str) -> str:
    return str(vlc.vegalite_to_svg(spec))


def bars(rows: Sequence[tuple[str, float]], label: str, value: str) -> Markup:
    """A horizontal bar per row (label, value)."""
    data = alt.Data(values=[{label: name, value: amount} for name, amount in rows])  # type: ignore[no-untyped-call]
    chart = (
        alt.Chart(data)
        .mark_bar(color="#1f5fbf")
        .encode(
            x=alt.X(f"{value}:Q", title=value),
            y=alt.Y(f"{label}:N", title=None, sort=None),
            tooltip=[f"{label}:N", f"{value}:Q"],
        )
        .properties(width=WIDTH)
    )
    return Markup(_svg(chart.to_json()))  # noqa: S704 - SVG serialised by vl-convert, text escaped


def check_values(results: Sequence[CheckResult], title: str) -> Markup | None:
    """Each check's measured value, coloured by its verdict, with its threshold as a tick."""
    rows = [
        {
            "check": r.check_id,
            "value": r.value,
            "verdict": r.verdict.value,
            "limit": r.maximum if r.maximum is not None else r.minimum,
        }
        for r in results
        if r.value is not None
    ]
    if not rows:
        return None
    base = alt.Chart(alt.Data(values=rows)).encode(  # type: ignore[no-untyped-call]
        y=alt.Y("check:N", title=None, sort=None)
    )
    values = base.mark_bar().encode(
        x=alt.X("value:Q", title=title),
        color=alt.Color(
            "verdict:N",
            scale=alt.Scale(
                domain=["satisfied", "not_satisfied", "inconclusive"],
                range=["#2b7a3d", "#a4262c", "#8a5a00"],
            ),
        ),
    )
    limits = base.mark_tick(color="#1d2330", thickness=2).encode(x="limit:Q")
    chart = alt.layer(values, limits).properties(width=WIDTH)
    return Markup(_svg(chart.to_json()))  # noqa: S704 - SVG serialised by vl-convert, text escaped
