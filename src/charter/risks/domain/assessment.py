"""Automated risk assessment: the facts of a use case's intake answers or of a system (its EU
AI Act classification, data categories, autonomy and audience) point to catalogue categories
with first ratings. Rules are data (data/assessment.yaml), their conditions the policies'
expression language; proposals are only proposals: a person adopts, changes or drops each."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from charter.governance.domain.expr import Compiled, compile_expression
from charter.kernel.errors import InvalidInput
from charter.risks.domain.model import Rating, RiskModel


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    rating: Rating
    when: str
    title: str
    cause: str
    consequence: str
    why: str
    compiled: Compiled = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Adjustment:
    when: str
    likelihood: int
    impact: int
    why: str
    compiled: Compiled = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Rules:
    questions: Mapping[str, Mapping[str, Any]]  # autonomy, audience: {ask, choices}
    rules: tuple[Rule, ...]
    adjust: tuple[Adjustment, ...]


@dataclass(frozen=True, slots=True)
class Proposal:
    rule: str
    category: str
    title: str
    cause: str
    consequence: str
    rating: Rating  # inherent, first estimate
    why: tuple[str, ...]  # the facts that raised it, and any adjustment
    registered: bool  # an open risk of this category is already on the subject


def _compiled(text: str, where: str) -> Compiled:
    try:
        return compile_expression(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc.message}") from exc


def parse_rules(raw: Mapping[str, Any], model: RiskModel) -> Rules:
    """Rules from a mapping that passed its schema: known categories, ratings on the model's
    scales, unique ids, expressions that compile."""
    rules, problems = [], []
    for item in raw["rules"]:
        where = f"assessment rule {item['id']}"
        rating = Rating(int(item["likelihood"]), int(item["impact"]))
        problems += [f"{where}: {p}" for p in model.rating_problems(rating, "its")]
        if item["category"] not in model.catalogue:
            problems.append(f"{where}: unknown category {item['category']!r}")
        rules.append(Rule(
            str(item["id"]), str(item["category"]), rating, str(item["when"]),
            str(item["title"]), str(item["cause"]), str(item["consequence"]), str(item["why"]),
            _compiled(str(item["when"]), where),
        ))  # fmt: skip
    ids = [r.id for r in rules]
    problems += [
        f"assessment rule id {i!r} is used twice" for i in sorted(set(ids)) if ids.count(i) > 1
    ]
    if problems:
        raise InvalidInput("; ".join(problems[:5]), details={"errors": problems})
    adjust = tuple(
        Adjustment(str(a["when"]), int(a.get("likelihood", 0)), int(a.get("impact", 0)),
                   str(a["why"]), _compiled(str(a["when"]), "assessment adjustment"))
        for a in raw["adjust"]
    )  # fmt: skip
    return Rules(dict(raw["answers"]), tuple(rules), adjust)


def check_answers(rules: Rules, answers: Mapping[str, str]) -> dict[str, str]:
    """The person's answers (autonomy, audience), each one of its choices; every problem named."""
    problems = []
    out = {}
    for key, question in rules.questions.items():
        value = answers.get(key)
        if value not in question["choices"]:
            known = ", ".join(question["choices"])
            problems.append(f"{key}: answer one of {known}")
        else:
            out[key] = str(value)
    unknown = sorted(set(answers) - set(rules.questions))
    problems += [f"unknown answer {k!r}" for k in unknown]
    if problems:
        raise InvalidInput("; ".join(problems), details={"errors": problems})
    return out


def _clamp(value: int, top: int) -> int:
    return max(1, min(value, top))


def propose(
    rules: Rules, model: RiskModel, facts: Mapping[str, Any], registered: Collection[str]
) -> list[Proposal]:
    """Every rule whose condition holds, rated, adjusted (within the scales), most severe first."""
    shifts = [a for a in rules.adjust if a.compiled(facts)]
    top_l, top_i = len(model.likelihood), len(model.impact)
    out = []
    for rule in rules.rules:
        if not rule.compiled(facts):
            continue
        rating = Rating(
            _clamp(rule.rating.likelihood + sum(a.likelihood for a in shifts), top_l),
            _clamp(rule.rating.impact + sum(a.impact for a in shifts), top_i),
        )
        why = (rule.why, *(a.why for a in shifts))
        out.append(Proposal(
            rule.id, rule.category, rule.title, rule.cause, rule.consequence, rating, why,
            rule.category in registered,
        ))  # fmt: skip
    return sorted(out, key=lambda p: (-p.rating.score, p.rule))


@dataclass(frozen=True, slots=True)
class Subject:
    """What an assessment looks at, read from the records: the answers and results a
    classification or a use case's screening holds, the data the system is trained on, its
    tags and how it is sourced."""

    tier: str = "unclassified"
    answers: Mapping[str, Any] = field(default_factory=dict)  # EU AI Act questionnaire answers
    transparency: Sequence[str] = ()
    gpai: bool = False
    personal_data: bool = False
    special_category: bool = False
    tags: Sequence[str] = ()
    third_party: bool = False


def facts_of(
    subject: Subject, answers: Mapping[str, str], extra: Mapping[str, bool]
) -> dict[str, Any]:
    """The facts rules read (docs/risks.md lists them); `extra` are data categories the person
    adds (personal_data, special_category) to what the records say."""
    points = [str(p) for p in subject.answers.get("annex_iii") or ()]
    tags = [t.lower() for t in subject.tags]
    profiling = bool(subject.answers.get("profiling"))
    special = subject.special_category or bool(extra.get("special_category"))
    generative = subject.gpai or "genai" in tags or bool(subject.answers.get("gpai_model_provider"))
    return {
        "tier": subject.tier,
        "annex_iii": points,
        "annex_iii_areas": sorted({p.split(".", 1)[0] for p in points}),
        "profiling": profiling,
        "transparency": list(subject.transparency or subject.answers.get("transparency") or ()),
        "generative": generative or bool(subject.answers.get("gpai_model")),
        "personal_data": subject.personal_data or special or bool(extra.get("personal_data")),
        "special_category": special,
        "third_party": subject.third_party,
        "decides_on_people": "decides-on-people" in tags or profiling or bool(points),
        "tags": tags,
        **answers,
    }
