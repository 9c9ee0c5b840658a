"""General-purpose AI models, asked about apart from systems (Arts. 3(63), 51-55): whether
the organisation provides one, whether it has systemic risk (high-impact capabilities,
presumed above the training compute of Art. 51(2), or a Commission designation), whether the
open-source carve-outs of Arts. 53(2) and 54(6) apply; and, for a system built on another's
model, what that model's provider owes the organisation (Art. 53(1)(b))."""

from __future__ import annotations

from dataclasses import dataclass

from charter.frameworks.domain.steps import Cited, Run


@dataclass(frozen=True, slots=True)
class Model:
    systemic: bool  # Art. 51(1)(a) or (b)
    presumed: bool  # Art. 51(1)(a): high-impact capabilities (presumed above the threshold)
    open_source_exempt: bool  # Art. 53(2), 54(6): open source and not systemic

    @property
    def label(self) -> str:
        return "gpai_systemic" if self.systemic else "gpai"

    def facts(self) -> dict[str, bool]:
        return {
            "gpai_systemic": self.systemic,
            "gpai_presumed": self.presumed,
            "gpai_open_source_exempt": self.open_source_exempt,
        }


def _provided(run: Run) -> bool:
    """Whether the organisation provides a model the Act reaches."""
    if not run.answers.get("gpai_model"):
        return False
    excluded = run.data["scope_exclusions"].get(run.answers.get("out_of_scope") or "")
    if excluded and excluded["covers_models"]:
        run.note(excluded["cite"], "The exclusion covers AI models too: no model duties")
        return False
    if run.answers.get("gpai_placed_on_market") is False:
        run.note(
            "EUAIA.ART3.63",
            "A model used for research, development or prototyping before it is placed on the "
            "market is not a general-purpose AI model under Art. 3(63)",
        )
        return False
    return True


def _presumed(run: Run) -> bool:
    threshold = float(run.data["gpai_threshold_flops"])
    flops = run.answers.get("training_flops")
    if flops is not None and float(flops) > threshold:
        run.note(
            "EUAIA.ART51.2",
            f"Trained with {float(flops):.3g} floating-point operations, above {threshold:.0e}: "
            "presumed to have high-impact capabilities",
        )
        return True
    if run.answers.get("systemic_risk"):
        run.note("EUAIA.ART51.1", "High-impact capabilities (Art. 51(1)(a))")
        return True
    return False


def model_duties(run: Run) -> Model | None:
    """The model the organisation provides, as the duties of Chapter V see it."""
    if not _provided(run):
        return None
    presumed = _presumed(run)
    designated = bool(run.answers.get("designated_systemic"))
    if designated:
        run.note(
            "EUAIA.ART51.1",
            "Designated by the Commission as a model with systemic risk (Art. 51(1)(b))",
        )
    systemic = presumed or designated
    run.note(
        "EUAIA.ART51.1" if systemic else "EUAIA.ART53.1.a",
        "General-purpose AI model with systemic risk: Arts. 53 and 55"
        if systemic
        else "General-purpose AI model: Art. 53 duties",
    )
    open_source = bool(run.answers.get("open_source_model"))
    if open_source:
        run.note(
            "EUAIA.ART53.2",
            "Open-source model: Art. 53(1)(a), (b) and Art. 54 do not apply"
            if not systemic
            else "Open-source model with systemic risk: the carve-outs of Arts. 53(2) and 54(6) "
            "do not apply",
        )
    if run.answers.get("gpai_placed_before_2025_08_02"):
        run.note(
            "EUAIA.ART111.3", "Placed on the market before 2 August 2025: comply by 2 August 2027"
        )
    return Model(systemic, presumed, open_source and not systemic)


def third_party_model(run: Run) -> tuple[Cited, ...]:
    """For a system built on another's general-purpose AI model: what its provider owes."""
    name = run.answers.get("gpai_model_provider")
    if not name:
        return ()
    owed = run.data["downstream"]
    run.note(owed["id"], f"Built on a general-purpose AI model of {name}: {owed['title']}")
    return (Cited(owed["id"], owed["title"]),)
