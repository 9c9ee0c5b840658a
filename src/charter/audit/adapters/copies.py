"""Copies of every signed checkpoint kept outside the database, so that an insider who
rewrites the database (events, checkpoints and all) cannot make the log verify: a file beside
the signing key that is only ever appended to, and optionally a witness folder or URL.

A file holds one note per line, as a JSON string. A witness URL receives each note by POST
(text/plain) and answers GET with the latest note it accepted (404: none yet)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlparse

import httpx

from charter.kernel.errors import InvalidInput

WITNESS_FILE = "checkpoints.jsonl"  # in a witness folder: one folder per installation


class AppendOnlyFile:
    def __init__(self, path: Path, label: str) -> None:
        self.path, self.label = path, label

    def keep(self, note: str) -> None:
        """Append the note and wait until it is on disk."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, (json.dumps(note) + "\n").encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            what = f"cannot keep the checkpoint in the {self.label}: {exc.strerror}"
            raise InvalidInput(what) from exc

    def notes(self) -> list[str]:
        """Every note kept (a line that is not a JSON string is returned as it is: it then
        fails verification)."""
        try:
            lines = self.path.read_text("utf-8").splitlines() if self.path.exists() else []
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read the {self.label}: {exc}") from exc
        return [_note(line) for line in lines if line.strip()]


def _note(line: str) -> str:
    try:
        found = json.loads(line)
    except ValueError:
        return line
    return found if isinstance(found, str) else line


class WitnessUrl:
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url, self.timeout = url, timeout
        self.label = f"checkpoint witness at {urlparse(url).netloc}"

    def keep(self, note: str) -> None:
        try:
            response = httpx.post(
                self.url,
                content=note.encode(),
                headers={"Content-Type": "text/plain; charset=utf-8"},
                timeout=self.timeout,
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise InvalidInput(f"the {self.label} did not keep the checkpoint: {exc}") from exc

    def notes(self) -> list[str]:
        try:
            response = httpx.get(self.url, timeout=self.timeout)
            if response.status_code == 404:
                return []
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise InvalidInput(f"cannot read the {self.label}: {exc}") from exc
        return [response.text] if response.text.strip() else []


def copies_for(
    key_file: Path | None, witness: str | None
) -> tuple[AppendOnlyFile | WitnessUrl, ...]:
    """Where checkpoints are copied: a file beside the key (KEY.checkpoints), and the witness
    (a folder, or an http(s) URL) when one is configured."""
    found: list[AppendOnlyFile | WitnessUrl] = []
    if key_file is not None:
        beside = key_file.with_suffix(".checkpoints")
        found.append(AppendOnlyFile(beside, f"checkpoint file {beside.name} beside the key"))
    if witness:
        if urlparse(witness).scheme in ("http", "https"):
            found.append(WitnessUrl(witness))
        else:
            found.append(AppendOnlyFile(Path(witness) / WITNESS_FILE, "checkpoint witness folder"))
    return tuple(found)
