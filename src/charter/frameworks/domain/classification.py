"""EU AI Act classification: answers to a questionnaire -> a tier, the chain of reasoning
cited article by article, and the obligations the organisation's operator role brings, each
with the date it applies from (original or amended schedule) relative to a given day.

The procedure follows the framework reference's steps EUAIA.CLS.1-9: scope (Art. 2-3), Art.
5 prohibitions, Annex I and Annex III high-risk routes, the Art. 6(3) derogation and its
profiling override, Art. 50 transparency duties (which stack on any tier), general-purpose
AI model duties, otherwise minimal. Data (points, obligations, dates) comes in as a mapping
(data/packs/eu-ai-act-classification.yaml); the reasoning is code, tested by scenario.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from charter.inventory.domain import OperatorRole, RiskTier
from charter.kernel.errors import InvalidInput

SCOPE_EXCLUSIONS = {
    "military": "Art. 2(3): military, defence or national-security use",
    "research": "Art. 2(6): sole purpose of scientific research and development",
    "pre_market_testing": "Art. 2(8): research, testing or development before market placement",
    "personal": "Art. 2(10): purely personal, non-professional use",
    "open_source": "Art. 2(12): free and open-source, not high-risk, prohibited or under Art. 50",
}
ANSWER_KEYS = frozenset(
    {
        "ai_system", "out_of_scope", "prohibited", "annex_i_product",
        "annex_i_third_party_assessment", "annex_iii", "derogation", "profiling",
        "fraud_detection_only", "transparency", "gpai_model", "systemic_risk",
        "public_service", "role", "schedule",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReasoningStep:
    cite: str  # the framework reference id the step rests on
    finding: str


@dataclass(frozen=True, slots=True)
class Obligation:
    id: str
    title: str
    applies_from: date | None  # None: no date set in this schedule
    in_force: bool  # on the day of classification
    uncertain: bool


@dataclass(frozen=True, slots=True)
class Classification:
    tier: str  # out_of_scope, prohibited, high, limited, minimal
    risk_tier: RiskTier
    role: OperatorRole
    schedule: str
    reasoning: tuple[ReasoningStep, ...]
    obligations: tuple[Obligation, ...]
    transparency: tuple[str, ...] = ()  # Art. 50 ids that stack on the tier
    gpai: str | None = None  # "gpai" or "gpai_systemic" model duties
    uncertain: bool = False  # the result rests on an item flagged uncertain
    cites: tuple[str, ...] = field(default=())


def _list(answers: Mapping[str, Any], key: str, known: Mapping[str, Any]) -> list[str]:
    value = answers.get(key) or []
    if not isinstance(value, list):
        raise InvalidInput(f"answer '{key}' must be a list", details={"field": key})
    unknown = [str(v) for v in value if str(v) not in known]
    if unknown:
        raise InvalidInput(
            f"answer '{key}': unknown point(s) {', '.join(unknown)}; known: {', '.join(known)}",
            details={"field": key},
        )
    return [str(v) for v in value]


def _flag(answers: Mapping[str, Any], key: str) -> bool:
    value = answers.get(key, False)
    if not isinstance(value, bool):
        raise InvalidInput(f"answer '{key}' must be true or false", details={"field": key})
    return value


FLAGS = (
    "ai_system", "annex_i_product", "annex_i_third_party_assessment", "profiling",
    "fraud_detection_only", "gpai_model", "systemic_risk", "public_service",
)  # fmt: skip


def _check_keys(answers: Mapping[str, Any]) -> None:
    unknown = set(answers) - ANSWER_KEYS
    if unknown:
        raise InvalidInput(
            f"unknown answer(s): {', '.join(sorted(unknown))}",
            details={"field": sorted(unknown)[0]},
        )
    for key in FLAGS:
        if key in answers:
            _flag(answers, key)


@dataclass
class _Run:
    data: Mapping[str, Any]
    answers: Mapping[str, Any]
    steps: list[ReasoningStep] = field(default_factory=list)
    uncertain: bool = False

    def note(self, cite: str, finding: str) -> None:
        self.steps.append(ReasoningStep(cite, finding))


def _scope(run: _Run) -> str | None:
    if not _flag(run.answers, "ai_system") and run.answers.get("ai_system") is not None:
        run.note("EUAIA.CLS.1", "Not an AI system under Art. 3(1): outside the Act")
        return "out_of_scope"
    reason = run.answers.get("out_of_scope")
    if reason:
        if reason not in SCOPE_EXCLUSIONS:
            raise InvalidInput(
                f"answer 'out_of_scope': one of {', '.join(SCOPE_EXCLUSIONS)}",
                details={"field": "out_of_scope"},
            )
        run.note("EUAIA.CLS.1", f"Outside the Act's scope: {SCOPE_EXCLUSIONS[reason]}")
        return "out_of_scope"
    run.note("EUAIA.CLS.1", "An AI system within the Act's scope (Art. 2, Art. 3(1))")
    return None


def _prohibited(run: _Run) -> str | None:
    points = _list(run.answers, "prohibited", run.data["prohibited"])
    for point in points:
        item = run.data["prohibited"][point]
        title = item["title"] if isinstance(item, Mapping) else item
        if isinstance(item, Mapping) and item.get("uncertain"):
            run.uncertain = True
        run.note(
            f"EUAIA.ART{point}",
            f"Prohibited: Art. {_art5(point)}: {title}",
        )
    if points:
        return "prohibited"
    run.note("EUAIA.CLS.3", "No Art. 5 prohibition applies")
    return None


def _art5(point: str) -> str:
    _, para, letter = point.split(".")
    return f"5({para})({letter})"


def _high_risk(run: _Run) -> str | None:
    """'annex_i' or 'annex_iii' when high-risk, else None."""
    if _flag(run.answers, "annex_i_product"):
        if _flag(run.answers, "annex_i_third_party_assessment"):
            run.note(
                "EUAIA.ART6.1",
                "High-risk under Art. 6(1): a safety component of, or itself, an Annex I "
                "product that needs third-party conformity assessment",
            )
            return "annex_i"
        run.note(
            "EUAIA.ART6.1.b",
            "Annex I product without third-party conformity assessment: "
            "not high-risk via Art. 6(1)",
        )
    points = _list(run.answers, "annex_iii", run.data["annex_iii"])
    if "5.b" in points and _flag(run.answers, "fraud_detection_only"):
        run.note(
            "EUAIA.ANNEXIII.5.b", "Annex III 5(b) excludes systems used to detect financial fraud"
        )
        points.remove("5.b")
    if not points:
        run.note("EUAIA.CLS.5", "No Annex III use case")
        return None
    for point in points:
        area, letter = point.split(".")
        label = f"Annex III {area}" + (f"({letter})" if letter != "0" else "")
        run.note(f"EUAIA.ANNEXIII.{point}", f"{label}: {run.data['annex_iii'][point]}")
    return _derogation(run, points)


def _derogation(run: _Run, points: list[str]) -> str | None:
    condition = run.answers.get("derogation")
    if not condition:
        run.note("EUAIA.ART6.3", "No Art. 6(3) condition claimed: high-risk under Art. 6(2)")
        return "annex_iii"
    if condition not in run.data["derogations"]:
        raise InvalidInput(
            f"answer 'derogation': one of {', '.join(run.data['derogations'])}",
            details={"field": "derogation"},
        )
    if _flag(run.answers, "profiling"):
        run.note(
            "EUAIA.ART6.3.PROFILING",
            "Profiling of natural persons: always high-risk; the Art. 6(3) derogation "
            "does not apply",
        )
        return "annex_iii"
    run.note(
        f"EUAIA.ART6.3.{condition}",
        f"Art. 6(3)({condition}): {run.data['derogations'][condition]}: not high-risk",
    )
    run.note(
        "EUAIA.ART6.4",
        "Document this assessment before market placement and register it (Art. 6(4), 49(2))",
    )
    run.uncertain = True  # the registration duty is flagged uncertain in the reference
    return None


def _transparency(run: _Run) -> list[str]:
    cases = _list(run.answers, "transparency", run.data["transparency"])
    ids = []
    for case in cases:
        item = run.data["transparency"][case]
        run.note(item["id"], f"Art. 50 duty ({item['role']}): {item['title']}")
        ids.append(item["id"])
    return ids


def _gpai(run: _Run) -> str | None:
    if not _flag(run.answers, "gpai_model"):
        return None
    if _flag(run.answers, "systemic_risk"):
        run.note("EUAIA.ART51.1", "General-purpose AI model with systemic risk: Arts. 53 and 55")
        return "gpai_systemic"
    run.note("EUAIA.ART53.1.a", "General-purpose AI model: Art. 53 duties")
    return "gpai"


def _role(answers: Mapping[str, Any], default: OperatorRole) -> OperatorRole:
    try:
        return OperatorRole(answers.get("role") or default)
    except ValueError as exc:
        raise InvalidInput("answer 'role': provider, deployer, importer or distributor") from exc


def _applies(
    item: Mapping[str, Any], tier: str, route: str | None, gpai: str | None, public: bool
) -> bool:
    when = item["when"]
    if when == "all":
        return tier != "out_of_scope"
    if when == "high":
        return tier == "high" and (not item.get("public_service") or public)
    if when == "gpai":
        return gpai in ("gpai", "gpai_systemic")
    return when == "gpai_systemic" and gpai == "gpai_systemic"


def _obligations(
    run: _Run, tier: str, route: str | None, transparency: list[str], gpai: str | None,
    role: OperatorRole, schedule: str, today: date,
) -> list[Obligation]:  # fmt: skip
    plan = run.data["schedules"][schedule]
    dates, uncertain_schedule = plan["dates"], bool(plan.get("uncertain"))
    public = _flag(run.answers, "public_service")
    out: list[Obligation] = []

    def add(oid: str, title: str, key: str, uncertain: bool) -> None:
        raw = dates.get(key)
        when = date.fromisoformat(raw) if raw else None
        late = uncertain or (
            uncertain_schedule and key in ("annex_iii", "annex_i", "new_prohibitions")
        )
        out.append(Obligation(oid, title, when, when is not None and when <= today, late))

    for item in run.data["obligations"]:
        if role.value in item["roles"] and _applies(item, tier, route, gpai, public):
            key = item.get("from") or ("annex_i" if route == "annex_i" else "annex_iii")
            add(item["id"], item["title"], key, bool(item.get("uncertain")))
    for case in run.data["transparency"].values():
        if case["id"] in transparency and case["role"] == role.value:
            add(case["id"], case["title"], "transparency", False)
    return out


TIERS = {
    "out_of_scope": RiskTier.MINIMAL,
    "prohibited": RiskTier.PROHIBITED,
    "high": RiskTier.HIGH,
    "limited": RiskTier.LIMITED,
    "minimal": RiskTier.MINIMAL,
}


def classify(
    data: Mapping[str, Any],
    answers: Mapping[str, Any],
    default_role: OperatorRole,
    today: date,
) -> Classification:
    """Run the procedure on one system's answers."""
    if not isinstance(answers, Mapping):
        raise InvalidInput("answers must be a mapping of question -> answer")
    _check_keys(answers)
    schedule = str(answers.get("schedule") or "amended")
    if schedule not in data["schedules"]:
        raise InvalidInput("answer 'schedule': original or amended", details={"field": "schedule"})
    role = _role(answers, default_role)
    run = _Run(data, answers)
    run.note("EUAIA.CLS.2", f"Operator role: {role.value}")
    tier = _scope(run) or _prohibited(run)
    route = None
    if tier is None:
        route = _high_risk(run)
        tier = "high" if route else None
    transparency = _transparency(run) if tier != "out_of_scope" else []
    gpai = _gpai(run) if tier != "out_of_scope" else None
    if tier is None:
        tier = "limited" if transparency else "minimal"
        if tier == "minimal":
            run.note("EUAIA.CLS.9", "Minimal risk: AI literacy applies; voluntary codes encouraged")
    uncertain = run.uncertain or bool(
        data["schedules"][schedule].get("uncertain") and tier == "high"
    )
    obligations = _obligations(run, tier, route, transparency, gpai, role, schedule, today)
    return Classification(
        tier,
        TIERS[tier],
        role,
        schedule,
        tuple(run.steps),
        tuple(obligations),
        tuple(transparency),
        gpai,
        uncertain or any(o.uncertain for o in obligations),
        tuple(dict.fromkeys(s.cite for s in run.steps)),
    )


@dataclass(frozen=True, slots=True)
class ClassificationRecord:
    """A classification as recorded: the answers, the result, who and when."""

    id: str
    system_id: str
    answers: dict[str, Any]
    result: dict[str, Any]
    tier: str
    classified_at: datetime
    classified_by: str


def as_plain(result: Classification) -> dict[str, Any]:
    """The result as JSON-ready data (dates as ISO strings, enums as their values)."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, RiskTier | OperatorRole):
            return value.value
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    out: dict[str, Any] = plain(asdict(result))
    return out
