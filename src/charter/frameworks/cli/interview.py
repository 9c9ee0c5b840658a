"""The EU AI Act questionnaire at the terminal: the questions of the classification data in
their order, skipping those whose answers they need say otherwise; each answer checked as it
is given (asked again when wrong) and saved, so that running the command again resumes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import typer

from charter.frameworks.domain.answers import check_one, given, unmet
from charter.frameworks.domain.classification import in_force
from charter.frameworks.files import read_progress, save_answers
from charter.kernel.cli.output import errors as console  # questions on stderr: --json stays clean

NONE = "none"


def _options(data: Mapping[str, Any], of: str) -> None:
    for key, item in data[of].items():
        title = item["title"] if isinstance(item, Mapping) else item
        console.print(f"  {key}: {title}")


def _ask(data: Mapping[str, Any], key: str, today: date) -> Any:
    """One answer as typed, in the shape the questions take."""
    q = data["questions"][key]
    kind = q["kind"]
    console.print(f"[bold]{q['ask']}[/bold]")
    if kind == "flag":
        return typer.confirm("yes?", default=bool(q.get("default", False)), err=True)
    if kind == "schedule":
        names = ", ".join(data["schedules"])
        return typer.prompt(f"schedule ({names})", default=in_force(data, today), err=True)
    if kind in ("points", "roles"):
        if kind == "points":
            _options(data, q["of"])
        raw = typer.prompt(
            "comma-separated (empty: none)", default="", show_default=False, err=True
        )
        return [p.strip() for p in raw.split(",") if p.strip()]
    if kind == "choice":
        _options(data, q["of"])
    label = f"{'key' if kind == 'choice' else 'answer'} (empty: {NONE})"
    raw = typer.prompt(label, default="", show_default=False, err=True)
    return _typed(kind, raw.strip())


def _typed(kind: str, raw: str) -> Any:
    if not raw or raw == NONE:
        return None
    if kind == "number":
        try:
            return float(raw)
        except ValueError:
            return raw  # refused by the check, with its reason
    return raw


def interview(data: Mapping[str, Any], saved: Path, today: date) -> dict[str, Any]:
    """Ask every open question not answered yet; each valid answer is saved at once."""
    answers = read_progress(saved, data)
    if answers:
        console.print(f"resuming from {saved}: {len(answers)} answer(s) already given")
    for key, question in data["questions"].items():
        if key in answers or question.get("legacy") or unmet(data, key, answers):
            continue
        while True:
            value = _ask(data, key, today)
            wrong = check_one(data, answers, key, value)
            if not wrong:
                break
            console.print("[red]" + "; ".join(wrong) + "[/red]")
        answers[key] = value
        save_answers(saved, answers)
    console.print(f"answers saved in {saved} (reuse them with --answers)")
    return {k: v for k, v in answers.items() if given(v) or v is False}
