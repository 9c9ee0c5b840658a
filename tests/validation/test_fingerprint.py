"""The data fingerprint is BLAKE3 of the file's whole bytes, however the file is read."""

from __future__ import annotations

import mmap
import os
from pathlib import Path

import blake3
import pytest

from charter.validation.engines import fingerprints


@pytest.mark.parametrize("windows", [0, 1, 3.5])
def test_fingerprint_is_blake3_of_every_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: float
) -> None:
    window = mmap.ALLOCATIONGRANULARITY
    monkeypatch.setattr(fingerprints, "HASH_WINDOW", window)  # several windows in a small file
    data = os.urandom(int(windows * window))
    path = tmp_path / "data.parquet"
    path.write_bytes(data)
    expected = f"blake3:{blake3.blake3(data).hexdigest()}:{len(data)}"
    assert fingerprints.file_fingerprint(path) == expected


def test_a_changed_byte_changes_the_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"label,prediction\n1,1\n0,0\n")
    before = fingerprints.file_fingerprint(path)
    path.write_bytes(b"label,prediction\n1,1\n0,1\n")
    assert fingerprints.file_fingerprint(path) != before
