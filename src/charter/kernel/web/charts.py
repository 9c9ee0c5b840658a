"""Charts rendered on the server: Vega-Lite specs (Altair) turned into SVG by vl-convert, so
pages need no JavaScript and the Content-Security-Policy stays strict (the SVG carries no
script and no style attributes). Rendered charts are cached by what they show: building a
chart with Altair (which validates it) costs more than drawing it, so a chart already drawn
for the same arguments is neither built nor drawn again."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import vl_convert as vlc
from markupsafe import Markup

WIDTH = 520


CACHED = 512
_drawn: OrderedDict[str, str] = OrderedDict()


def _render(args: tuple[Any, ...], build: Callable[[], Any]) -> Markup:
    """The SVG of the chart `build` makes, drawn once per distinct `args` (the chart's name
    and everything it shows), the least recently used dropped beyond CACHED."""
    key = json.dumps(args, sort_keys=True, default=str)
    svg = _drawn.get(key)
    if svg is None:
        svg = str(vlc.vegalite_to_svg(build().to_json(validate=False)))
        _drawn[key] = svg
        if len(_drawn) > CACHED:
            _drawn.popitem(last=False)
    else:
        _drawn.move_to_end(key)
    return Markup(svg)  # noqa: S704 - SVG serialised by vl-convert, text escaped


def bars(rows: Sequence[tuple[str, float]], label: str, value: str, counts: bool = True) -> Markup:
    """A horizontal bar per row (label, value), in the order given. Counts (the default) get
    whole-number ticks only: no "0.2 systems"."""

    def build() -> Any:
        data = alt.Data(values=[{label: name, value: amount} for name, amount in rows])  # type: ignore[no-untyped-call]
        chart = (
            alt.Chart(data)
            .mark_bar(color="#1f5fbf")
            .encode(
                x=alt.X(f"{value}:Q", title=value, axis=_whole() if counts else alt.Axis()),
                y=alt.Y(f"{label}:N", title=None, sort=None),
                tooltip=[f"{label}:N", f"{value}:Q"],
            )
            .properties(width=WIDTH)
        )
        return chart

    return _render(("bars", list(rows), label, value, counts), build)


def _whole() -> Any:
    """An axis of counts: ticks at whole numbers only, printed without decimals."""
    return alt.Axis(tickMinStep=1, format="d")


QUADRANT_COLOURS = ["#2b7a3d", "#1f5fbf", "#8a5a00", "#a4262c"]


def matrix(points: Sequence[dict[str, object]], quadrants: Sequence[str]) -> Markup | None:
    """Use cases on the value / feasibility matrix (scores 0-1), coloured by quadrant, sized
    by expected value, with the 0.5 lines that split the quadrants."""
    if not points:
        return None

    def build() -> Any:
        base = alt.Chart(alt.Data(values=list(points)))  # type: ignore[no-untyped-call]
        dots = base.mark_circle(opacity=0.8, stroke="#1d2330", strokeWidth=0.5).encode(
            x=alt.X("feasibility:Q", title="feasibility", scale=alt.Scale(domain=[-0.1, 1.1])),
            y=alt.Y("value:Q", title="value", scale=alt.Scale(domain=[-0.1, 1.1])),
            color=alt.Color(
                "quadrant:N",
                scale=alt.Scale(domain=list(quadrants), range=QUADRANT_COLOURS[: len(quadrants)]),
            ),
            size=alt.Size("expected:Q", title="expected value per year", legend=None),
            tooltip=["title:N", "quadrant:N", "expected:Q"],
        )
        labels = base.mark_text(dy=-11, fontSize=10, color="#1d2330").encode(
            x="feasibility:Q", y="value:Q", text="label:N"
        )
        rule_data = alt.Data(values=[{"at": 0.5}])  # type: ignore[no-untyped-call]
        vline = alt.Chart(rule_data).mark_rule(color="#8a93a6", strokeDash=[4, 4]).encode(x="at:Q")
        hline = alt.Chart(rule_data).mark_rule(color="#8a93a6", strokeDash=[4, 4]).encode(y="at:Q")
        chart = alt.layer(vline, hline, dots, labels).properties(width=WIDTH, height=420)
        return chart

    return _render(("matrix", list(points), list(quadrants)), build)


def timeline(rows: Sequence[dict[str, object]], quarters: Sequence[str]) -> Markup | None:
    """One bar per use case over its quarters: from its first quarter (`from`) up to the
    quarter after its last (`until`), on the ordered list of quarters shown."""
    if not rows:
        return None

    def build() -> Any:
        chart = (
            alt.Chart(alt.Data(values=list(rows)))  # type: ignore[no-untyped-call]
            .mark_bar(cornerRadius=3)
            .encode(
                x=alt.X("from:O", title=None, scale=alt.Scale(domain=list(quarters)),
                        axis=alt.Axis(labelAngle=0)),
                x2="until:O",
                y=alt.Y("title:N", title=None, sort=None),
                color=alt.Color("status:N", scale=alt.Scale(
                    domain=["approved", "delivered"], range=["#1f5fbf", "#2b7a3d"])),
                tooltip=["title:N", "from:O", "to:O", "status:N"],
            )
            .properties(width=WIDTH + 160)
        )  # fmt: skip
        return chart

    return _render(("timeline", list(rows), list(quarters)), build)


def trend(
    points: Sequence[tuple[str, float]], target: float, unit: str, title: str
) -> Markup | None:
    """A KPI's monthly values as a line, with its target as a dashed rule."""
    if not points:
        return None

    def build() -> Any:
        data = alt.Data(values=[{"period": p, "value": v} for p, v in points])  # type: ignore[no-untyped-call]
        line = (
            alt.Chart(data)
            .mark_line(point=True, color="#1f5fbf")
            .encode(x=alt.X("period:O", title=None), y=alt.Y("value:Q", title=unit),
                    tooltip=["period:O", "value:Q"])
        )  # fmt: skip
        goal = alt.Data(values=[{"target": target}])  # type: ignore[no-untyped-call]
        rule = alt.Chart(goal).mark_rule(color="#a4262c", strokeDash=[6, 3]).encode(y="target:Q")
        chart = alt.layer(line, rule).properties(width=380, height=160, description=title)
        return chart

    return _render(("trend", list(points), target, unit, title), build)


def planned_realised(rows: Sequence[dict[str, object]]) -> Markup | None:
    """Per use case, value planned and realised over the months measured, side by side."""
    if not rows:
        return None

    def build() -> Any:
        chart = (
            alt.Chart(alt.Data(values=list(rows)))  # type: ignore[no-untyped-call]
            .mark_bar()
            .encode(
                y=alt.Y("title:N", title=None), yOffset="what:N",
                x=alt.X("amount:Q", title="over the months measured"),
                color=alt.Color("what:N", scale=alt.Scale(domain=["planned", "realised"],
                                                          range=["#8a93a6", "#2b7a3d"])),
                tooltip=["title:N", "what:N", "amount:Q"],
            )
            .properties(width=WIDTH)
        )  # fmt: skip
        return chart

    return _render(("planned_realised", list(rows)), build)


def lines(
    rows: Sequence[dict[str, object]], x: str, y: str, series: str, title: str, share: bool = False
) -> Markup | None:
    """One line per series over `x` (ordinal), e.g. adoption share by business unit."""
    if not rows:
        return None

    def build() -> Any:
        axis = alt.Axis(format="%") if share else alt.Axis()
        chart = (
            alt.Chart(alt.Data(values=list(rows)))  # type: ignore[no-untyped-call]
            .mark_line(point=True)
            .encode(
                x=alt.X(f"{x}:O", title=None),
                y=alt.Y(f"{y}:Q", title=title, axis=axis),
                color=alt.Color(f"{series}:N", title=None),
                tooltip=[f"{series}:N", f"{x}:O", f"{y}:Q"],
            )
            .properties(width=WIDTH, height=220, description=title)
        )
        return chart

    return _render(("lines", list(rows), x, y, series, title, share), build)


def sparkline(points: Sequence[tuple[str, float]], title: str) -> Markup | None:
    """A small score trend (0-100) for a scorecard card."""
    if len(points) < 2:
        return None

    def build() -> Any:
        data = alt.Data(values=[{"on": d, "score": s} for d, s in points])  # type: ignore[no-untyped-call]
        chart = (
            alt.Chart(data)
            .mark_line(point=True, color="#1f5fbf")
            .encode(
                x=alt.X(
                    "on:O", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelFontSize=9)
                ),
                y=alt.Y("score:Q", title=None, scale=alt.Scale(domain=[0, 100])),
                tooltip=["on:O", "score:Q"],
            )
            .properties(width=260, height=90, description=title)
        )
        return chart

    return _render(("sparkline", list(points), title), build)


def over_time(
    rows: Sequence[dict[str, object]],
    limits: Sequence[dict[str, object]],
    title: str,
    counts: bool = False,
) -> Markup | None:
    """One line per series (`series`) of values (`value`) over time (`at`, ISO), with each
    series' limits (`series`, `limit`) as dashed rules of its colour; whole-number ticks when
    the values are counts. A row's `window` (the data it measured), when given, is in its
    tooltip."""
    if not rows:
        return None

    def build() -> Any:
        axis = alt.Axis(format="d", tickMinStep=1) if counts else alt.Axis()
        colour = alt.Color("series:N", title=None)
        line = (
            alt.Chart(alt.Data(values=list(rows)))  # type: ignore[no-untyped-call]
            .mark_line(point=True)
            .encode(
                x=alt.X("at:T", title=None),
                y=alt.Y("value:Q", title=title, axis=axis),
                color=colour,
                tooltip=["series:N", "at:T", "value:Q"]
                + (["window:N"] if any("window" in r for r in rows) else []),
            )
        )
        layers: list[Any] = [line]
        if limits:
            rule = alt.Chart(alt.Data(values=list(limits)))  # type: ignore[no-untyped-call]
            layers.append(rule.mark_rule(strokeDash=[6, 3]).encode(y="limit:Q", color=colour))
        return alt.layer(*layers).properties(width=WIDTH, height=200, description=title)

    return _render(("over_time", list(rows), list(limits), title, counts), build)
