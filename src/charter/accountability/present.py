"""The RACI of one system as a page shows it: an activity x person matrix, one letter (or
none) per cell, each activity's findings beside its row, the system's own findings above."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from charter.accountability.domain.raci import (
    AFTER_LEAVING,
    Activity,
    Finding,
    FindingKind,
    RaciEntry,
    RaciLetter,
)
from charter.kernel.labels import label


@dataclass(frozen=True, slots=True)
class MatrixRow:
    activity: Activity
    letters: dict[str, RaciLetter]  # person id -> their letter in this activity
    findings: list[str]  # in words, names instead of ids


@dataclass(frozen=True, slots=True)
class RaciMatrix:
    people: list[str]  # the columns: everyone holding a letter, by name
    rows: list[MatrixRow]  # every activity, in lifecycle order
    general: list[str]  # findings about the system as a whole (no owner)
    letters: tuple[RaciLetter, ...] = tuple(RaciLetter)


def _words(finding: Finding, names: Mapping[str, str]) -> str:
    who = names.get(finding.person_id, finding.person_id) if finding.person_id else None
    if who and finding.kind in AFTER_LEAVING:
        held = "the owner, " if finding.kind is FindingKind.OWNER_LEFT else ""
        return f"{held}{who}, has left the organisation: {AFTER_LEAVING[finding.kind]}"
    said = label(finding.kind)
    return f"{said}: {who}" if who else said


def raci_matrix(
    entries: Sequence[RaciEntry], findings: Sequence[Finding], names: Mapping[str, str]
) -> RaciMatrix:
    """Every activity as a row (an empty one too: that is where a letter is missing), every
    person holding a letter as a column, people by name."""
    people = sorted({e.person_id for e in entries}, key=lambda p: (names.get(p, p), p))
    rows = [
        MatrixRow(
            activity,
            {e.person_id: e.letter for e in entries if e.activity is activity},
            [_words(f, names) for f in findings if f.activity is activity],
        )
        for activity in Activity
    ]
    general = [_words(f, names) for f in findings if f.activity is None]
    return RaciMatrix(people, rows, general)
