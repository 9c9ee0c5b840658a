"""Views too costly to compute on every request, kept by the process that computed them while
what they derive from is unchanged: a key that names every input (the audit log's head,
which every write advances in its own transaction, the checkpoints, the day, the reader),
and never longer than `for_at_most`, so that what depends on the time of day (a waiver that
lapses at noon) is at most that late. A page that shows a kept view says when it was
computed."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime, timedelta
from threading import Lock
from typing import Generic, TypeVar

V = TypeVar("V")

#: how long a kept view may be shown, at most (the audit page's check is kept as long)
AT_MOST = timedelta(seconds=60)


class Kept(Generic[V]):
    """The latest views computed, by key, each with when it was computed (at most `size`:
    one per reader and day is what a page needs; the oldest go first). A view kept is the
    same object for every request of the process: keep only immutable ones (frozen records,
    tuples, read-only mappings), made so once when computed, not copied at every read."""

    def __init__(self, for_at_most: timedelta = AT_MOST, size: int = 64) -> None:
        self._for, self._size = for_at_most, size
        self._views: OrderedDict[Hashable, tuple[V, datetime]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, now: datetime) -> tuple[V, datetime] | None:
        """The view kept for `key` and when it was computed, if it is under the age limit
        (a clock that went back does not make an old view young)."""
        with self._lock:
            found = self._views.get(key)
            if found is not None:
                self._views.move_to_end(key)  # the least recently used go first
        if found is None or not timedelta(0) <= now - found[1] < self._for:
            return None
        return found

    def put(self, key: Hashable, view: V, computed: datetime) -> None:
        """Keep `view`; views past the age limit go now (a key naming an older audit head is
        never asked for again), and the least recently used beyond `size`."""
        with self._lock:
            for old in [k for k, (_, at) in self._views.items() if computed - at >= self._for]:
                del self._views[old]
            self._views[key] = (view, computed)
            self._views.move_to_end(key)
            while len(self._views) > self._size:
                self._views.popitem(last=False)


def kept_on(holder: object, name: str) -> Kept[V]:
    """The views kept under `name` on `holder` (a web app's state: one per served app),
    made the first time it is asked for."""
    found: Kept[V] | None = getattr(holder, name, None)
    if found is None:
        found = Kept()
        setattr(holder, name, found)
    return found
