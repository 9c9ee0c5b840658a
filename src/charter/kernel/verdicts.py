"""Verdicts: how a requirement or a check stands, and which verdicts let a gate pass."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"
    INCONCLUSIVE = "inconclusive"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


PASSING = frozenset({Verdict.SATISFIED, Verdict.WAIVED, Verdict.NOT_APPLICABLE})
