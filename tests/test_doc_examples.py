"""Every fenced `sh` and `python` example in README.md and docs/ runs as written, or says why
it does not. A comment on the line before the fence chooses how:

- no comment: a `sh` block runs in a fresh Charter home whose administrator
  ada@example.org exists and acts (CHARTER_ACTOR); a `python` block runs in such a home too;
- `<!-- example: bare -->`: an empty home (the example makes its own database);
- `<!-- example: demo -->`: a copy of the demo organisation, acting as its administrator;
- `<!-- example: run by tests/... -->`: another test runs it (that file must name the doc);
- `<!-- example: not run: REASON -->`: not runnable here, and why.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(
    r"(?:<!-- example: (?P<how>[^>]*?) -->\n)?```(?P<lang>sh|python)\n(?P<code>.*?)```", re.S
)
ADMIN = "ada@example.org"


def _examples() -> list[tuple[str, str, str, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text()
        for m in FENCE.finditer(text):
            line = text.count("\n", 0, m.start("lang")) + 1
            found.append((f"{doc.relative_to(ROOT)}:{line}", m["how"] or "", m["lang"], m["code"]))
    return found


EXAMPLES = _examples()


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    env |= {"CHARTER_HOME": str(home), "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}"}
    return env | {f"CHARTER_{k.upper()}": v for k, v in extra.items()}


def _home(tmp_path: Path, how: str, demo: Path) -> tuple[Path, dict[str, str]]:
    """The example's Charter home and its environment."""
    home = tmp_path / "home"
    if how == "bare":
        home.mkdir()
        return home, _env(home)
    if how == "demo":
        shutil.copytree(demo, home)
        for suffix in (".key", ".pub"):  # the demo's key, under the name a setup gives it
            (home / "keys" / f"demo-audit{suffix}").rename(home / "keys" / f"audit{suffix}")
        admin = json.loads((demo / "summary.json").read_text())["admin"]
        return home, _env(home, actor=admin, database_url=f"sqlite:///{home / 'demo.db'}")
    home.mkdir()
    subprocess.run(
        [str(BIN / "charter"), "init", "--name", "Ada Admin", "--email", ADMIN, "--json"],
        env=_env(home), check=True, capture_output=True,
    )  # fmt: skip
    return home, _env(home, actor=ADMIN)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo")
    built = subprocess.run(
        [str(BIN / "charter"), "demo", "--no-serve", "--home", str(home), "--json"],
        env=_env(home), check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    admin = json.loads(built.stdout)["sign_in"]["administrator"]["email"]
    (home / "summary.json").write_text(json.dumps({"admin": admin}))
    return home


def test_every_example_says_how_it_runs() -> None:
    assert len(EXAMPLES) >= 8
    for where, how, _, _ in EXAMPLES:
        if how.startswith("not run"):
            assert how.removeprefix("not run").strip(" :"), f"{where}: say why it is not run"
        elif how.startswith("run by "):
            test = ROOT / how.removeprefix("run by ").strip()
            doc = where.split(":")[0]
            assert test.exists() and Path(doc).name in test.read_text(), where
        else:
            assert how in ("", "bare", "demo"), f"{where}: unknown example mode {how!r}"


@pytest.mark.parametrize(
    "where,how,lang,code",
    [e for e in EXAMPLES if e[1] in ("", "bare", "demo")],
    ids=[e[0] for e in EXAMPLES if e[1] in ("", "bare", "demo")],
)
def test_example_runs_as_written(
    where: str, how: str, lang: str, code: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    demo = request.getfixturevalue("demo") if how == "demo" else tmp_path
    home, env = _home(tmp_path, how, demo)
    if lang == "sh":
        command = ["bash", "-euo", "pipefail", "-c", code]
    else:
        command = [sys.executable, "-c", code]
    done = subprocess.run(
        command, cwd=home, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{where}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
