"""The inventory's answers as JSON-ready data."""

from __future__ import annotations

from typing import Any

from charter.inventory.services import Registered
from charter.kernel.present import as_json


def registered_json(done: Registered) -> dict[str, Any]:
    """A registered system, with the systems whose names read almost as its name does."""
    similar = [{"id": ident, "name": name} for ident, name in done.similar]
    return {**as_json(done.system), "possible_duplicates": similar}
