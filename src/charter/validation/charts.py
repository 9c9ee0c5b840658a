"""Charts of evidence (rendered on the server): check values against thresholds, and
fairness by group with intervals."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import altair as alt
from markupsafe import Markup

from charter.kernel.web.charts import WIDTH, _render
from charter.validation.domain.evidence import CheckResult


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

    def build() -> Any:
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
        return chart

    return _render(("check_values", rows, title), build)


#: which measures may share an axis: one family per chart (differences apart from ratios,
#: distances apart from p-values), with the caption that says how to read it
FAMILIES: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "Fairness: differences between groups (0 is equal treatment); the tick is each "
        "check's limit.",
        frozenset({"demographic_parity_difference", "equal_opportunity_difference",
                   "equalized_odds_difference"}),
    ),
    (
        "Fairness: ratios between groups (1 is equal treatment); the tick is each check's "
        "limit.",
        frozenset({"demographic_parity_ratio", "disparate_impact", "impact_ratio",
                   "scoring_impact_ratio"}),
    ),
    (
        "Drift: distance between the reference and the current data, by feature; the tick "
        "is each check's limit.",
        frozenset({"psi", "ks", "jensen_shannon", "wasserstein"}),
    ),
    (
        "Drift: p-values of the tests, by feature (low means the data changed); the tick is "
        "each check's limit.",
        frozenset({"chi_square_p"}),
    ),
)  # fmt: skip


def by_family(runs: Sequence[Sequence[CheckResult]]) -> list[tuple[str, Markup]]:
    """One chart per measure family, of the newest run (runs come newest first) that checked
    any measure of it: (caption, chart)."""
    out = []
    for caption, metrics in FAMILIES:
        for results in runs:
            chart = check_values([r for r in results if r.metric in metrics], caption.split(":")[0])
            if chart is not None:
                out.append((caption, chart))
                break
    return out


def fairness_by_group(results: Sequence[CheckResult]) -> list[tuple[str, Markup]]:
    """For each set of protected attributes a fairness check compared, each group's
    selection rate, TPR and FPR (groups below the minimum size left out): (title, chart)."""
    rows: dict[str, dict[tuple[str, str], dict[str, object]]] = {}
    for r in results:
        for g in r.groups:
            if not g.compared or g.value is None:
                continue
            over = ", ".join(part.split("=", 1)[0] for part in g.group.split(", "))
            rows.setdefault(over, {})[(g.group, g.rate)] = {
                "group": f"{g.group} (n={g.size})", "rate": g.rate, "value": g.value,
            }  # fmt: skip
    out = []
    for over, found in sorted(rows.items()):
        shown = list(found.values())
        out.append((over, _render(("fairness_by_group", over, shown), partial(_group_bars, shown))))
    return out


def _group_bars(rows: list[dict[str, object]]) -> Any:
    return (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None, sort=None), yOffset="rate:N",
            x=alt.X("value:Q", title="rate", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("rate:N", title=None, scale=alt.Scale(
                domain=["selection rate", "TPR", "FPR"], range=["#1f5fbf", "#2b7a3d", "#a4262c"])),
            tooltip=["group:N", "rate:N", "value:Q"],
        )
        .properties(width=WIDTH)
    )  # fmt: skip
