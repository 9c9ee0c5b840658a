"""Material from the project's ../shared folder that tests compare Charter with (the framework
reference). Missing, it fails the test under CI=true and skips it elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing (the project's ../shared material)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: may not be skipped)")
        pytest.skip(message)
    return path
