"""A unit of work as one import sees it: the records rows look up by key (a name, an
e-mail) read once and kept current as rows write, so that ten thousand rows do not read the
same records again row after row. The use cases run unchanged over it; only repeated reads
are saved, and every write goes to the tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from charter.integrations.ports import UnitOfWork
from charter.kernel.names import name_key


class Keyed:
    """A repository as one import sees it: read once, then lookups by id and by the key
    column (a name, an e-mail) served from memory; every write passes through to the table
    and is remembered. The use cases run unchanged over it: only repeated reads are saved."""

    def __init__(self, repo: Any, key: str) -> None:
        self._repo, self._key = repo, key
        self._by_id: dict[str, Any] | None = None
        self._by_key: dict[object, Any] = {}
        self._by_name: dict[str, dict[str, Any]] = {}  # name as read -> id -> record

    def _load(self) -> dict[str, Any]:
        if self._by_id is None:
            self._by_id = {}
            for item in self._repo.all():
                self._keep(item)
        return self._by_id

    def _keep(self, item: Any) -> None:
        assert self._by_id is not None
        old = self._by_id.get(item.id)
        if old is not None:
            self._by_key.pop(getattr(old, self._key), None)
            self._named(old).pop(old.id, None)
        self._by_id[item.id] = item
        self._by_key[getattr(item, self._key)] = item
        self._named(item)[item.id] = item

    def _named(self, item: Any) -> dict[str, Any]:
        name = getattr(item, "name", None)
        return self._by_name.setdefault(name_key(name), {}) if isinstance(name, str) else {}

    def named(self, key: str) -> list[Any]:
        """The records whose name reads as `key` (case and spacing aside): what
        `ensure_unique` would otherwise find by reading every record, row after row."""
        self._load()
        return list(self._by_name.get(key, {}).values())

    def get(self, ident: str) -> Any:
        return self._load().get(ident)

    def all(self, **by: object) -> list[Any]:
        if not by:
            return list(self._load().values())
        (field_, value), *more = by.items()
        if not more and field_ in (self._key, "id") and isinstance(value, str):
            self._load()
            found = self._by_key.get(value) if field_ == self._key else self._by_id.get(value)  # type: ignore[union-attr]
            return [found] if found is not None else []
        return list(self._repo.all(**by))

    def add(self, item: Any) -> None:
        self._repo.add(item)
        self._load()
        self._keep(item)

    def update(self, item: Any, *, when: Mapping[str, object] | None = None) -> None:
        self._repo.update(item, when=when)
        self._load()
        self._keep(item)

    def lock(self, ident: str) -> Any:
        found = self._repo.lock(ident)
        if found is not None:
            self._load()
            self._keep(found)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repo, name)


class Versions:
    """Model versions as one import sees them: which (model, version) pairs exist, read once."""

    def __init__(self, repo: Any) -> None:
        self._repo = repo
        self._pairs: set[tuple[str, str]] | None = None

    def all(self, **by: object) -> list[Any]:
        if set(by) == {"model_id", "version"}:
            if self._pairs is None:
                self._pairs = {(v.model_id, v.version) for v in self._repo.all()}
            return [by] if (by["model_id"], by["version"]) in self._pairs else []
        return list(self._repo.all(**by))

    def add(self, item: Any) -> None:
        self._repo.add(item)
        if self._pairs is not None:
            self._pairs.add((item.model_id, item.version))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repo, name)


class Cached:
    """The unit of work with the records an import looks up by key kept in memory."""

    KEYS = {"units": "name", "people": "email", "vendors": "name", "datasets": "name",
            "systems": "name", "models": "name"}  # fmt: skip

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._repos: dict[str, Any] = {
            name: Keyed(getattr(uow, name), key) for name, key in self.KEYS.items()
        }
        self._repos["model_versions"] = Versions(uow.model_versions)

    def __getattr__(self, name: str) -> Any:
        repos = self.__dict__.get("_repos", {})
        return repos[name] if name in repos else getattr(self._uow, name)
