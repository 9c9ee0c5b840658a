"""Labels, orders, dates and navigation as pages show them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from charter.accountability.domain.raci import RaciLetter
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.labels import in_order, label
from charter.kernel.roles import RoleKind
from charter.kernel.verdicts import Verdict
from charter.kernel.web import charts
from charter.kernel.web.filters import day, moment, month
from charter.kernel.web.nav import NAV, current_link


def test_every_code_reads_as_words() -> None:
    assert label(S.APPROVED_FOR_DEPLOYMENT) == "approved for deployment"
    assert label(Verdict.NOT_SATISFIED) == "not satisfied"
    assert label(RoleKind.PROGRAM_MANAGER) == "AI programme manager"
    assert label(RaciLetter.ACCOUNTABLE) == "Accountable"
    assert label("A") == "A"  # a letter outside its enumeration stays itself
    assert label("dpia") == "DPIA" and label("it") == "IT" and label(None) == "—"
    every = [m for e in (S, Verdict, RoleKind, RaciLetter) for m in e]
    assert all("_" not in label(m) for m in every)


def test_codes_keep_their_own_order_not_the_alphabet() -> None:
    rows = [(S.DEPLOYED, 3), (S.ASSESSED, 1), ("other", 9), (S.PROPOSED, 2)]
    assert [k for k, _ in in_order(rows, list(S))] == [S.PROPOSED, S.ASSESSED, S.DEPLOYED, "other"]


def test_dates_are_unambiguous_and_marked_up_for_the_viewer() -> None:
    assert day(date(2026, 12, 6)) == '<time datetime="2026-12-06" data-day>6 Dec 2026</time>'
    shown = moment(datetime(2026, 12, 6, 14, 5, 9, tzinfo=UTC))
    assert 'datetime="2026-12-06T14:05:09+00:00"' in shown and ">6 Dec 2026, 14:05 UTC<" in shown
    assert moment("2026-12-06T14:05:09.123456Z").endswith(">6 Dec 2026, 14:05 UTC</time>")
    assert month(date(2026, 3, 1)) == "Mar 2026" and day(None) == "—"


def test_the_navigation_marks_the_section_of_the_page() -> None:
    assert current_link("/ui/") == "/ui/"
    assert current_link("/ui/systems/sys_1") == "/ui/systems"
    assert current_link("/ui/meetings/mtg_1") == "/ui/bodies"
    assert current_link("/ui/packs/eu-ai-act") == "/ui/governance"
    assert current_link("/ui/account") is None and current_link("/ui/systemsx") is None
    hrefs = [link.href for group in NAV for link in group.links]
    assert len(hrefs) == len(set(hrefs))


def test_count_charts_tick_whole_numbers_only() -> None:
    def ticks(svg: object) -> list[str]:
        return re.findall(r">([0-9.]+)</text>", str(svg))

    assert ticks(charts.bars([("proposed", 1), ("deployed", 3)], "stage", "systems")) == [
        "0", "1", "2", "3"
    ]  # fmt: skip
    fractions = ticks(charts.bars([("a", 1), ("b", 3)], "x", "share", counts=False))
    assert "0.2" in fractions  # the check can fail: a measure that is no count keeps them
