"""What a reader of the audit trail looks for: who acted, what they did, on which record,
and when. Pure: the adapter turns it into a query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from charter.kernel.errors import InvalidInput

#: the most events one export holds (a larger trail is exported range by range)
EXPORT_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class EventFilter:
    actor: str | None = None  # a person id, or service-account:<id>
    action: str | None = None  # an action, or its first part (`transition` for transition.*)
    entity_type: str | None = None
    entity_id: str | None = None
    since: datetime | None = None  # from this moment on (inclusive)
    until: datetime | None = None  # before this moment (exclusive)

    def checked(self) -> EventFilter:
        """The filter, or InvalidInput naming every problem at once."""
        problems = []
        if self.entity_id and not self.entity_type:
            problems.append("say which kind of record the id names (entity type)")
        if self.since and self.until and self.until <= self.since:
            problems.append("the end of the period must come after its start")
        for name, value in (("actor", self.actor), ("action", self.action)):
            if value is not None and len(value) > 200:
                problems.append(f"{name} is longer than 200 characters")
        if problems:
            raise InvalidInput("; ".join(problems), details={"problems": problems})
        return self
