"""Near-duplicate detection for use-case intake: how alike two short texts are.

Texts are lower-cased, split into words, stripped of common words and of a plural 's';
similarity is the mean of the Jaccard index of the word sets and of the Jaccard index of
their character trigrams (which survives small rewordings and typos). Both are in [0, 1].
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: at or above this similarity a new use case is flagged as a possible duplicate
DUPLICATE_AT = 0.5

_WORD = re.compile(r"[a-z0-9]+")
_COMMON = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it",
    "of", "on", "or", "our", "the", "to", "use", "using", "we", "with", "ai", "model",
    "system", "tool", "that", "this", "will",
})  # fmt: skip


def words(text: str) -> frozenset[str]:
    out: set[str] = set()
    for word in _WORD.findall(text.lower()):
        if word in _COMMON:
            continue
        out.add(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return frozenset(out)


def _trigrams(found: frozenset[str]) -> frozenset[str]:
    grams: set[str] = set()
    for word in found:
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    return (_jaccard(wa, wb) + _jaccard(_trigrams(wa), _trigrams(wb))) / 2


@dataclass(frozen=True, slots=True)
class Match:
    ref: str  # "use_case:<id>" or "system:<id>"
    title: str
    similarity: float


def near_duplicates(text: str, candidates: Iterable[tuple[str, str, str]]) -> list[Match]:
    """Candidates (ref, title, text) at least DUPLICATE_AT alike, most alike first."""
    found = [Match(ref, title, similarity(text, other)) for ref, title, other in candidates]
    return sorted(
        (m for m in found if m.similarity >= DUPLICATE_AT), key=lambda m: (-m.similarity, m.ref)
    )
