"""Framework data shipped with Charter (data/packs/), read once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def classification_data() -> dict[str, Any]:
    """Points, obligations and dates of the EU AI Act classification (paraphrased)."""
    text = (
        resources.files("charter")
        .joinpath("data/packs/eu-ai-act-classification.yaml")
        .read_text("utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data
