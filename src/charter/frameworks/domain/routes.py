"""The routes of a classification: the Art. 5 practices that bind the roles held, the
high-risk grounds (Annex I through Art. 6(1), Annex III through Art. 6(2), both kept when
both hold) with the Art. 6(3) derogation, and the Art. 50 cases."""

from __future__ import annotations

from dataclasses import dataclass

from charter.frameworks.domain.steps import Run


@dataclass(frozen=True, slots=True)
class Routes:
    grounds: tuple[str, ...] = ()  # annex_i, annex_i_section_b, annex_iii
    points: tuple[str, ...] = ()  # the Annex III points (after the fraud exclusion)
    derogated: bool = False  # Annex III points, found not high-risk under Art. 6(3)

    @property
    def duty_grounds(self) -> tuple[str, ...]:
        """The grounds whose duties the Act itself lists (not Annex I Section B's)."""
        return tuple(g for g in self.grounds if g in ("annex_i", "annex_iii"))

    @property
    def act_applies(self) -> bool:
        """False when the only ground is an Annex I Section B product (Art. 2(2))."""
        return self.grounds != ("annex_i_section_b",)


def _art5(point: str) -> str:
    _, para, letter = point.split(".")
    return f"5({para})({letter})"


def prohibited(run: Run, roles: list[str]) -> list[tuple[str, list[str]]]:
    """The Art. 5 practices in force in the schedule that bind a role held, or ban the system
    itself (all but the ban on a use, Art. 5(1)(h)), each with the roles it binds."""
    out = []
    dates = run.data["schedules"][run.schedule]["dates"]
    for point in run.answers.get("prohibited") or []:
        item, cite = run.data["prohibited"][point], f"EUAIA.ART{point}"
        if dates.get(item["from"]) is None:
            run.note(cite, f"Art. {_art5(point)} is not in the text of the {run.schedule} schedule")
            continue
        bound = [r for r in roles if r in item["binds"]]
        if not bound and "provider" not in item["binds"]:
            run.note(cite, f"Art. {_art5(point)} binds {', '.join(item['binds'])}: no role held")
            continue  # a ban on a use only (Art. 5(1)(h)): the system itself is not banned
        run.note(cite, f"Prohibited: Art. {_art5(point)}: {item['title']}")
        if not bound:
            run.note(
                cite,
                f"The system may not be placed on the market, put into service or used; Art. "
                f"{_art5(point)} names {', '.join(item['binds'])}, not {', '.join(roles)}: "
                "no duty is listed for your role, and none to continue",
            )
        if item.get("uncertain"):
            run.unsettle(cite, item["uncertain"])
        out.append((str(point), bound))
    if not out:
        run.note("EUAIA.CLS.3", "No Art. 5 prohibition applies")
    return out


def _annex_i(run: Run) -> list[str]:
    if not run.answers.get("annex_i_product"):
        return []
    if not run.answers.get("annex_i_third_party_assessment"):
        run.note(
            "EUAIA.ART6.1.b",
            "Annex I product without third-party conformity assessment: not high-risk via "
            "Art. 6(1)",
        )
        return []
    run.note(
        "EUAIA.ART6.1",
        "High-risk under Art. 6(1): a safety component of, or itself, an Annex I product that "
        "needs third-party conformity assessment",
    )
    section = run.answers.get("annex_i_section")
    if section is None:
        run.note(
            "EUAIA.ART6.1",
            "Annex I section not given: treated as Section A (the Act's duties apply)",
        )
    if section != "B":
        return ["annex_i"]
    run.note(
        "EUAIA.ART2.2",
        "Annex I Section B: only Arts. 6(1), 102-109 and 112 apply; the requirements reach the "
        "product through its own legislation, not as duties under this Act",
    )
    return ["annex_i_section_b"]


def _annex_iii(run: Run) -> list[str]:
    points = [str(p) for p in run.answers.get("annex_iii") or []]
    if "5.b" in points and run.answers.get("fraud_detection_only"):
        run.note(
            "EUAIA.ANNEXIII.5.b", "Annex III 5(b) excludes systems used to detect financial fraud"
        )
        points.remove("5.b")
    if not points:
        run.note("EUAIA.CLS.5", "No Annex III use case")
    for point in points:
        area, letter = point.split(".")
        label = f"Annex III {area}" + (f"({letter})" if letter != "0" else "")
        run.note(f"EUAIA.ANNEXIII.{point}", f"{label}: {run.data['annex_iii'][point]}")
    return points


def _derogated(run: Run, annex_i: list[str]) -> bool:
    """Whether the Art. 6(3) derogation takes the Annex III points out of high risk."""
    condition = run.answers.get("derogation")
    if not condition:
        run.note("EUAIA.ART6.3", "No Art. 6(3) condition claimed: high-risk under Art. 6(2)")
        return False
    if run.answers.get("profiling"):
        run.note(
            "EUAIA.ART6.3.PROFILING",
            "Profiling of natural persons: always high-risk; the Art. 6(3) derogation does not "
            "apply",
        )
        return False
    run.note(
        f"EUAIA.ART6.3.{condition}",
        f"Art. 6(3)({condition}): {run.data['derogations'][condition]}: the Annex III use is "
        "not high-risk",
    )
    run.unsettle(f"EUAIA.ART6.3.{condition}", "art6_guidelines")
    if not annex_i:
        run.note(
            "EUAIA.ART6.4",
            "The provider documents this assessment before placing on the market, registers "
            "the system (Art. 49(2)) and gives the assessment to authorities on request",
        )
    if annex_i:
        run.note(
            "EUAIA.ART6.3",
            "Art. 6(3) concerns the Annex III ground only: high-risk stays under Art. 6(1)",
        )
    return True


def high_risk(run: Run) -> Routes:
    annex_i = _annex_i(run)
    points = _annex_iii(run)
    derogated = bool(points) and _derogated(run, annex_i)
    grounds = annex_i + (["annex_iii"] if points and not derogated else [])
    return Routes(tuple(grounds), tuple(points), derogated and not annex_i)


def transparency(run: Run) -> list[str]:
    """The Art. 50 cases answered; they stack on any tier."""
    cases = [str(c) for c in run.answers.get("transparency") or []]
    for case in cases:
        item = run.data["transparency"][case]
        run.note(item["id"], f"Art. 50 duty ({item['role']}): {item['title']}")
    return cases
