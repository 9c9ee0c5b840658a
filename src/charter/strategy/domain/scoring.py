"""Scoring and prioritisation of use cases: a transparent model given as data.

Each criterion yields a rating from 1 to 5: rated by an assessor (feasibility, risk,
strategic fit), or derived through bands from the expected value per year or the months to
value. A rating becomes a score in [0, 1] ((rating - 1) / 4, reversed where lower is
better); the total is the weighted mean of the scores, on 0-100. A criterion without its
input is *missing*: the total is then not computed (never a silent zero) and the use case
is ranked after every scored one. Quadrants are rules over the scores, first match wins;
a rule that reads a missing score leaves the use case unplaced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from charter.kernel.errors import InvalidInput
from charter.strategy.domain.strategy import RATED, UseCase

SOURCES = ("rating", "expected_value", "time_to_value_months")


@dataclass(frozen=True, slots=True)
class Band:
    up_to: float | None  # None: everything above the previous band
    rating: int


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    title: str
    weight: float
    source: str
    higher_is_better: bool = True
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True, slots=True)
class Quadrant:
    id: str
    title: str
    meaning: str
    when: tuple[tuple[str, float | None, float | None], ...]  # (criterion, min, max)


@dataclass(frozen=True, slots=True)
class Horizon:
    id: str
    title: str
    max_months: int | None  # None: anything longer


@dataclass(frozen=True, slots=True)
class ScoringModel:
    criteria: tuple[Criterion, ...]
    quadrants: tuple[Quadrant, ...]
    horizons: tuple[Horizon, ...]
    currency: str = "EUR"

    def criterion(self, ident: str) -> Criterion:
        for c in self.criteria:
            if c.id == ident:
                return c
        raise InvalidInput(f"the scoring model has no criterion {ident!r}")

    def with_weights(self, weights: Mapping[str, float]) -> ScoringModel:
        """The same model with some weights changed (a what-if ranking)."""
        unknown = sorted(set(weights) - {c.id for c in self.criteria})
        if unknown:
            known = ", ".join(c.id for c in self.criteria)
            raise InvalidInput(f"unknown criterion {unknown[0]!r} in weights; known: {known}")
        changed = tuple(
            Criterion(
                c.id, c.title, _weight(weights.get(c.id, c.weight), c.id), c.source,
                c.higher_is_better, c.bands,
            )
            for c in self.criteria
        )  # fmt: skip
        _check_weights(changed)
        return ScoringModel(changed, self.quadrants, self.horizons, self.currency)


@dataclass(frozen=True, slots=True)
class CriterionScore:
    criterion: str
    weight: float
    rating: int | None
    score: float | None  # in [0, 1]
    basis: str  # what the rating rests on, in words


@dataclass(frozen=True, slots=True)
class Score:
    use_case_id: str
    total: float | None  # 0-100; None when a weighted criterion is missing
    parts: tuple[CriterionScore, ...]
    missing: tuple[str, ...]
    quadrant: str | None  # None: unplaced
    horizon: str | None

    def part(self, criterion: str) -> float | None:
        return next((p.score for p in self.parts if p.criterion == criterion), None)


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int | None  # shared by ties; None for an unscored use case
    score: Score


def _weight(value: object, ident: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise InvalidInput(f"weight of {ident!r} must be a number >= 0")
    return float(value)


def _check_weights(criteria: Sequence[Criterion]) -> None:
    if not any(c.weight > 0 for c in criteria):
        raise InvalidInput("at least one criterion needs a weight above 0")


def _rating_of(criterion: Criterion, use_case: UseCase) -> tuple[int | None, str]:
    if criterion.source == "rating":
        found = use_case.ratings.get(criterion.id)
        return found, (f"rated {found}" if found is not None else "not rated")
    if criterion.source == "expected_value":
        expected = use_case.expected_value
        if expected is None:
            return None, "no value estimate"
        return _banded(criterion, expected), f"expected value {expected:,.0f} per year"
    months = use_case.time_to_value_months
    if months is None:
        return None, "no time to value estimate"
    return _banded(criterion, months), f"{months} months to value"


def _banded(criterion: Criterion, value: float) -> int:
    for band in criterion.bands:
        if band.up_to is None or value <= band.up_to:
            return band.rating
    return criterion.bands[-1].rating


def _horizon(model: ScoringModel, use_case: UseCase) -> str | None:
    months = use_case.time_to_value_months
    if months is None:
        return None
    for h in model.horizons:
        if h.max_months is None or months <= h.max_months:
            return h.id
    return model.horizons[-1].id


def _quadrant(model: ScoringModel, scores: Mapping[str, float | None]) -> str | None:
    for q in model.quadrants:
        values = [(scores.get(c), low, high) for c, low, high in q.when]
        if any(v is None for v, _, _ in values):
            return None
        if all(
            (low is None or v >= low) and (high is None or v < high)  # type: ignore[operator]
            for v, low, high in values
        ):
            return q.id
    return None


def score(model: ScoringModel, use_case: UseCase) -> Score:
    parts = []
    for c in model.criteria:
        rating, basis = _rating_of(c, use_case)
        value = None if rating is None else (rating - 1) / 4
        if value is not None and not c.higher_is_better:
            value = 1 - value
        parts.append(CriterionScore(c.id, c.weight, rating, value, basis))
    missing = tuple(p.criterion for p in parts if p.score is None and p.weight > 0)
    weights = sum(p.weight for p in parts)
    total = (
        None
        if missing
        else 100 * sum(p.weight * (p.score or 0.0) for p in parts if p.weight > 0) / weights
    )
    by_id = {p.criterion: p.score for p in parts}
    return Score(
        use_case.id,
        total,
        tuple(parts),
        missing,
        _quadrant(model, by_id),
        _horizon(model, use_case),
    )


def rank(scores: Sequence[Score], titles: Mapping[str, str]) -> list[Ranked]:
    """Highest total first; equal totals share a rank (1, 2, 2, 4) and are ordered by title;
    unscored use cases come last, without a rank."""
    scored = sorted(
        (s for s in scores if s.total is not None),
        key=lambda s: (-round(s.total or 0.0, 9), titles.get(s.use_case_id, ""), s.use_case_id),
    )
    out: list[Ranked] = []
    for position, s in enumerate(scored, start=1):
        tied = out and round(out[-1].score.total or 0.0, 9) == round(s.total or 0.0, 9)
        out.append(Ranked(out[-1].rank if tied else position, s))
    unscored = sorted(
        (s for s in scores if s.total is None), key=lambda s: titles.get(s.use_case_id, "")
    )
    return out + [Ranked(None, s) for s in unscored]


# -- the model as data ------------------------------------------------------------------


def _bands(raw: object, ident: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput(f"criterion {ident!r} needs bands: [{{up_to, rating}}, ..., {{rating}}]")
    bands = []
    for item in raw:
        if not isinstance(item, Mapping) or set(item) - {"up_to", "rating"}:
            raise InvalidInput(f"criterion {ident!r}: a band is {{up_to, rating}}")
        rating = item.get("rating")
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise InvalidInput(f"criterion {ident!r}: a band's rating is 1 to 5")
        up_to = item.get("up_to")
        if up_to is not None and (isinstance(up_to, bool) or not isinstance(up_to, int | float)):
            raise InvalidInput(f"criterion {ident!r}: up_to must be a number")
        bands.append(Band(None if up_to is None else float(up_to), rating))
    limits = [b.up_to for b in bands if b.up_to is not None]
    if limits != sorted(limits) or bands[-1].up_to is not None:
        raise InvalidInput(
            f"criterion {ident!r}: bands rise and end with one without up_to (the rest)"
        )
    return tuple(bands)


def _criterion(raw: Mapping[str, Any]) -> Criterion:
    ident = str(raw.get("id", ""))
    source = raw.get("source", "rating")
    if source not in SOURCES:
        raise InvalidInput(f"criterion {ident!r}: source must be one of {', '.join(SOURCES)}")
    if source == "rating" and ident not in RATED:
        raise InvalidInput(f"criterion {ident!r}: only {', '.join(RATED)} are rated")
    bands = _bands(raw.get("bands"), ident) if source != "rating" else ()
    return Criterion(
        ident,
        str(raw.get("title", ident)),
        _weight(raw.get("weight"), ident),
        str(source),
        bool(raw.get("higher_is_better", True)),
        bands,
    )


def _quadrant_rule(raw: Mapping[str, Any], criteria: set[str]) -> Quadrant:
    ident = str(raw.get("id", ""))
    when = raw.get("when") or {}
    if not isinstance(when, Mapping):
        raise InvalidInput(f"quadrant {ident!r}: when is {{criterion: {{min, max}}}}")
    rules = []
    for criterion, bounds in when.items():
        if criterion not in criteria or not isinstance(bounds, Mapping):
            raise InvalidInput(f"quadrant {ident!r} reads unknown criterion {criterion!r}")
        low, high = bounds.get("min"), bounds.get("max")
        rules.append((str(criterion), _opt(low), _opt(high)))
    return Quadrant(ident, str(raw.get("title", ident)), str(raw.get("meaning", "")), tuple(rules))


def _opt(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput("quadrant bounds are numbers between 0 and 1")
    return float(value)


def parse_scoring_model(raw: Mapping[str, Any]) -> ScoringModel:
    """The scoring model from its JSON form (data/scoring.json), checked."""
    criteria = tuple(_criterion(c) for c in raw.get("criteria") or [])
    ids = [c.id for c in criteria]
    if not criteria or len(set(ids)) != len(ids):
        raise InvalidInput("the scoring model needs criteria with distinct ids")
    _check_weights(criteria)
    quadrants = tuple(_quadrant_rule(q, set(ids)) for q in raw.get("quadrants") or [])
    horizons = tuple(
        Horizon(str(h["id"]), str(h.get("title", h["id"])), h.get("max_months"))
        for h in raw.get("horizons") or []
    )
    if not quadrants or not horizons:
        raise InvalidInput("the scoring model needs quadrants and horizons")
    return ScoringModel(criteria, quadrants, horizons, str(raw.get("currency", "EUR")))
