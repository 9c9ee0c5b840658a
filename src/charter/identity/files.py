"""Data files identity ships: the list of common passwords a password may not be."""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources


@cache
def common_passwords() -> frozenset[str]:
    """The 20,000 common passwords Django ships (lowercase), read when first needed."""
    packed = resources.files("charter.identity").joinpath("data/common-passwords.txt.gz")
    return frozenset(gzip.decompress(packed.read_bytes()).decode("utf-8").split())
