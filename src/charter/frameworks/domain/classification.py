"""EU AI Act classification: answers to a questionnaire -> a tier, the chain of reasoning
cited article by article, the roles the organisation holds, and the obligations each role
brings on each ground, dated by the chosen schedule relative to a given day.

The procedure follows the framework reference's steps EUAIA.CLS.1-9: roles (Art. 3, 25),
scope (Art. 2, 3(1)), Art. 5 prohibitions, the Annex I and Annex III high-risk routes (both
kept when both hold) with the Art. 6(3) derogation and its profiling override, Art. 50
transparency (stacking on any tier), general-purpose AI models apart from systems (Arts.
51-55), otherwise minimal. Questions, points, rules and dates are data
(data/packs/eu-ai-act-classification.yaml); docs/classification.md lists each rule with the
article it implements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from charter.frameworks.domain import answers as checks
from charter.frameworks.domain.gpai import Model, model_duties, third_party_model
from charter.frameworks.domain.obligations import Dating, Found, Obligation, dated, obligations
from charter.frameworks.domain.routes import Routes, high_risk, prohibited, transparency
from charter.frameworks.domain.steps import Cited, ReasoningStep, Run, Unsettled
from charter.inventory.domain import OperatorRole, RiskTier

__all__ = [
    "Cited",
    "Classification",
    "ClassificationRecord",
    "Obligation",
    "ReasoningStep",
    "Unsettled",
    "as_plain",
    "classify",
    "in_force",
]

TIERS = {
    "out_of_scope": RiskTier.MINIMAL,
    "prohibited": RiskTier.PROHIBITED,
    "high": RiskTier.HIGH,
    "limited": RiskTier.LIMITED,
    "minimal": RiskTier.MINIMAL,
}
#: answers whose truth the obligation rules read, beside the derived facts
FLAGS = (
    "public_service", "public_authority", "provider_outside_eu", "explanation_excluded",
    "law_enforcement_use", "placed_before_2026_08_02", "gpai_placed_before_2025_08_02",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class HeldRole:
    role: str  # provider, deployer, importer, distributor, gpai_provider
    basis: str  # why: answered, the system's operator role, Art. 25(1)(a), ...


@dataclass(frozen=True, slots=True)
class Classification:
    tier: str  # out_of_scope, prohibited, high, limited, minimal
    risk_tier: RiskTier
    role: OperatorRole  # the first operator role held (compatibility: one role)
    schedule: str
    reasoning: tuple[ReasoningStep, ...]
    obligations: tuple[Obligation, ...]
    transparency: tuple[str, ...] = ()  # Art. 50 ids that stack on the tier
    gpai: str | None = None  # "gpai" or "gpai_systemic": the model's duties
    uncertain: bool = False  # the tier itself rests on an unsettled item
    cites: tuple[str, ...] = field(default=())
    roles: tuple[HeldRole, ...] = ()
    grounds: tuple[str, ...] = ()  # annex_i, annex_i_section_b, annex_iii
    unsettled: tuple[Unsettled, ...] = ()  # every item of the result that rests on one
    penalty: Cited | None = None  # for a prohibited practice: its penalty tier
    model_provider: str | None = None  # whose general-purpose AI model the system builds on
    owed: tuple[Cited, ...] = ()  # what that model's provider owes the organisation
    data_version: str = ""  # the classification data's version it was made with


def in_force(data: Mapping[str, Any], today: date) -> str:
    """The schedule in force on a day: the one that took effect last by then."""
    began = {str(n): date.fromisoformat(s["effective"]) for n, s in data["schedules"].items()}
    due = [n for n, day in began.items() if day <= today]
    return max(due, key=lambda n: began[n]) if due else min(began, key=lambda n: began[n])


def _roles(run: Run, default: OperatorRole) -> list[HeldRole]:
    raw = run.answers.get("roles") or ([run.answers["role"]] if run.answers.get("role") else [])
    held = [HeldRole(str(r), "answered") for r in raw] or [
        HeldRole(default.value, "the system's operator role")
    ]
    run.note("EUAIA.CLS.2", "Operator role(s): " + ", ".join(h.role for h in held))
    return held


def _scope(run: Run) -> str | None:
    """'out' when the system is outside the Act, the exclusion weighed later, or None."""
    if run.answers.get("ai_system") is False:
        run.note(
            "EUAIA.CLS.1",
            "Not an AI system under Art. 3(1): the Act's duties for AI systems do not apply",
        )
        return "out"
    key = run.answers.get("out_of_scope")
    if key in ("military", "research", "pre_market_testing"):
        item = run.data["scope_exclusions"][key]
        run.note(item["cite"], f"Outside the Act's scope: {item['title']}")
        return "out"
    weighed = key in ("personal", "open_source")
    claimed = "; the exclusion claimed is weighed below" if weighed else "; no exclusion claimed"
    run.note(
        "EUAIA.CLS.1", f"An AI system (Art. 3(1)) under the Act's scope rules (Art. 2){claimed}"
    )
    return key if weighed else None


def _personal(run: Run, roles: list[HeldRole]) -> list[HeldRole]:
    kept = [h for h in roles if h.role != "deployer"]
    run.note(
        "EUAIA.ART2.10",
        "Art. 2(10): no deployer duties for a natural person in a purely personal, "
        "non-professional activity" + ("; the other roles keep theirs" if kept else ""),
    )
    return kept


def _open_source(run: Run, routes: Routes, cases: list[str], banned: bool) -> bool:
    """Whether the Art. 2(12) open-source exclusion takes the system out of scope."""
    if banned or routes.grounds or cases:
        run.note(
            "EUAIA.ART2.12",
            "The open-source exclusion does not apply to prohibited, high-risk or Art. 50 systems",
        )
        return False
    run.note(
        "EUAIA.ART2.12", "Outside the Act's scope: released under a free and open-source licence"
    )
    return True


_ART25 = {"name_or_trademark": "a", "substantial_modification": "b", "changed_purpose": "c"}


def _art25(run: Run, roles: list[HeldRole], high: bool) -> list[HeldRole]:
    """Art. 25(1): a deployer, importer or distributor who rebrands, substantially modifies
    or repurposes a system into a high-risk one is its provider."""
    reasons = run.answers.get("art25") or []
    if not reasons:
        return roles
    if not high:
        run.note(
            "EUAIA.ART25.1", "Art. 25(1) concerns high-risk systems only: the roles do not change"
        )
        return roles
    for reason in reasons:
        run.note("EUAIA.ART25.1", f"{run.data['art25'][reason]}: you are its provider")
    if any(h.role == "provider" for h in roles):
        return roles
    letters = ", ".join(_ART25[r] for r in reasons)
    return [*roles, HeldRole("provider", f"Art. 25(1)({letters})")]


def _facts(run: Run, routes: Routes, model: Model | None) -> dict[str, Any]:
    facts: dict[str, Any] = {k: bool(run.answers.get(k)) for k in FLAGS}
    facts["annex_iii"] = routes.points
    facts["built_on_gpai"] = bool(run.answers.get("gpai_model_provider"))
    return facts | (model.facts() if model else {})


def _tier(out: bool, banned: bool, routes: Routes, cases: list[str], run: Run) -> str:
    if out:
        return "out_of_scope"
    if banned:
        return "prohibited"
    if routes.grounds:
        return "high"
    if cases:
        return "limited"
    run.note(
        "EUAIA.CLS.9",
        "Minimal risk: AI literacy for providers and deployers; voluntary codes encouraged",
    )
    return "minimal"


def _dating(data: Mapping[str, Any], schedule: str, today: date) -> Dating:
    plan = data["schedules"][schedule]
    return Dating(schedule, plan["dates"], plan.get("unsettled") or {}, data["unsettled"], today)


def _stops(run: Run, banned: list[tuple[str, list[str]]], dating: Dating) -> list[Obligation]:
    """For a prohibited system: stop, from the day the ban applies, in each role it binds."""
    out = []
    for point, bound in banned:
        item = run.data["prohibited"][point]
        keys = [item.get("uncertain"), dating.unsettled.get(item["from"])]
        reasons = [run.data["unsettled"][k] for k in dict.fromkeys(keys) if k]
        for role in bound:
            title = f"{run.data['prohibition']['stop'][role]}: {item['title']}"
            out.append(
                dated(f"EUAIA.ART{point}", title, role, "prohibited", item["from"], reasons, dating)
            )
    return out


@dataclass(frozen=True, slots=True)
class _Outcome:
    tier: str
    roles: list[HeldRole]
    banned: list[tuple[str, list[str]]]
    routes: Routes
    cases: list[str]
    model: Model | None


def _procedure(run: Run, default_role: OperatorRole) -> _Outcome:
    roles = _roles(run, default_role)
    scope = _scope(run)
    if scope == "personal":
        roles = _personal(run, roles)
    out = scope == "out" or not roles
    banned = [] if out else prohibited(run, [h.role for h in roles])
    routes, cases = Routes(), []
    if not (out or banned):
        routes, cases = high_risk(run), transparency(run)
    if scope == "open_source" and not out and _open_source(run, routes, cases, bool(banned)):
        out, routes, cases = True, Routes(), []
    if not (out or banned):
        roles = _art25(run, roles, bool(routes.grounds))
    model = model_duties(run)
    tier = _tier(out, bool(banned), routes, cases, run)
    return _Outcome(tier, roles, banned, routes, cases, model)


def _rules_read(run: Run, found: _Outcome, held: list[HeldRole]) -> Found:
    """What the obligation rules read of the outcome."""
    return Found(
        tuple(h.role for h in held),
        found.routes.duty_grounds,
        found.tier not in ("out_of_scope", "prohibited") and found.routes.act_applies,
        found.routes.derogated,
        tuple(found.cases),
        found.model is not None,
        _facts(run, found.routes, found.model),
    )


def classify(
    data: Mapping[str, Any],
    answers: Mapping[str, Any],
    default_role: OperatorRole,
    today: date,
) -> Classification:
    """Run the procedure on one system's answers (refused, every problem named, when any
    answer is wrong or contradicts another)."""
    checks.check(data, answers)
    schedule = str(answers.get("schedule") or in_force(data, today))
    run = Run(data, answers, schedule)
    found = _procedure(run, default_role)
    owed = third_party_model(run)
    dating = _dating(data, schedule, today)
    held = [*found.roles, *([HeldRole("gpai_provider", "answered")] if found.model else [])]
    facts = _rules_read(run, found, held)
    duties = _stops(run, found.banned, dating) + obligations(data["obligations"], facts, dating)
    penalty = Cited(**data["prohibition"]["penalty"]) if found.banned else None
    if penalty:
        run.note(penalty.id, penalty.title)
    return Classification(
        found.tier, TIERS[found.tier], _primary(found.roles, default_role), schedule,
        tuple(run.steps), tuple(duties),
        tuple(data["transparency"][c]["id"] for c in found.cases),
        found.model.label if found.model else None, bool(run.tier_unsettled),
        tuple(dict.fromkeys(s.cite for s in run.steps)), tuple(held), found.routes.grounds,
        run.unsettled_of(duties), penalty, answers.get("gpai_model_provider") or None, owed,
        str(data.get("version") or ""),
    )  # fmt: skip


def _primary(roles: list[HeldRole], default: OperatorRole) -> OperatorRole:
    """The first operator role held (the one role older records and callers read)."""
    return next((OperatorRole(h.role) for h in roles if h.role in checks.ROLES), default)


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
