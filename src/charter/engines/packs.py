"""Deprecated, kept for one release: the built-in framework packs moved to
charter.frameworks.files (the `charter.packs` entry point names it there now)."""

from __future__ import annotations

import warnings


def builtin_packs() -> list[str]:
    """The built-in packs' YAML texts, from their new home, with a deprecation warning."""
    warnings.warn(
        "charter.engines.packs is deprecated; use charter.frameworks.files.builtin_packs",
        DeprecationWarning,
        stacklevel=2,
    )
    from charter.frameworks.files import builtin_packs as packs

    return packs()
