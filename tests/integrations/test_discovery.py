"""Shadow-AI discovery on a fixture repository with known uses and false friends (names in
comments and strings, boto3 for S3, folders of dependencies): exactly the known uses are found;
proposals are matched against the inventory and nothing is written until a person accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from charter.integrations import files
from charter.integrations.domain.discovery import scan_file
from charter.integrations.services import discovery
from charter.inventory import services as inventory
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.wiring import Context
from tests.factory import World

TREE = {
    "app/llm.py": (
        "import openai\n"
        "# import anthropic  -- a comment is not a use\n"
        's = "import torch"  # nor is a string\n'
        'doc = """from langchain import x"""\n'
        "from transformers import pipeline\n"
        "client = openai.OpenAI()\n"
        'pipe = pipeline("sentiment-analysis")\n'
    ),
    "app/aws.py": (
        "import boto3\n"
        's3 = boto3.client("s3")  # boto3 alone is not AI\n'
        'brt = boto3.client("bedrock-runtime")\n'
        "session = boto3.Session()\n"
        'agent = session.client(service_name="bedrock-agent-runtime")\n'
    ),
    "app/alias.py": "import torch as t\nmodel = t.load('m.pt')\n",
    "app/broken.py": "import openai\ndef (:\n",  # does not parse: nothing
    "web/index.ts": (
        'import Anthropic from "@anthropic-ai/sdk";\n'
        '// import OpenAI from "openai";\n'
        "const s = 'require(\"langchain\")';\n"
        '/* require("cohere-ai") */\n'
        'const prompts = require("@langchain/core/prompts");\n'
        'const list = Array.from("openai");\n'
    ),
    "requirements.txt": "scikit-learn==1.5  # ml\n# torch\nrequests>=2\n",
    "package.json": '{"dependencies": {"openai": "^4.0.0", "left-pad": "1"}}\n',
    "models/credit.onnx": "binary",
    "models/readme.txt": "import openai",
    "node_modules/openai/index.js": 'require("openai")\n',
    "notes.md": "We might `import openai` one day.\n",
}
EXPECTED = {
    ("openai", "import", "app/llm.py", 1), ("openai", "call", "app/llm.py", 6),
    ("huggingface-transformers", "import", "app/llm.py", 5),
    ("huggingface-transformers", "call", "app/llm.py", 7),
    ("bedrock", "call", "app/aws.py", 3), ("bedrock", "call", "app/aws.py", 5),
    ("pytorch", "import", "app/alias.py", 1), ("pytorch", "call", "app/alias.py", 2),
    ("anthropic", "import", "web/index.ts", 1), ("langchain", "import", "web/index.ts", 5),
    ("scikit-learn", "dependency", "requirements.txt", 1),
    ("openai", "dependency", "package.json", 0),
    ("model-file", "model_file", "models/credit.onnx", 0),
}  # fmt: skip


def _tree(root: Path) -> Path:
    for rel, text in TREE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_exactly_the_known_uses_are_found(tmp_path: Path) -> None:
    cat = files.discovery_catalogue()
    scanned = files.scan_tree(_tree(tmp_path / "shop"), cat)
    assert {(f.sdk, f.how, f.path, f.line) for f in scanned.findings} == EXPECTED
    assert scanned.root == "shop" and scanned.files == len(TREE) - 1  # node_modules skipped


@pytest.mark.parametrize("sdk", [s.id for s in files.discovery_catalogue().sdks if s.python])
def test_every_python_sdk_in_the_catalogue_is_recognised(sdk: str) -> None:
    cat = files.discovery_catalogue()
    module = cat.sdk(sdk).python[0]
    found = scan_file("x.py", f"import {module}\n# import {module}\n", cat)
    assert [(f.sdk, f.line) for f in found] == [(sdk, 1)]


def _audit(ctx: Context) -> int:
    with ctx.uow() as uow:
        return uow.audit.size()


def test_proposals_are_matched_and_nothing_is_written_without_acceptance(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    existing = world.system("Shop")
    inventory.register_vendor(ctx, world.actor(R.ML_ENGINEER), "OpenAI")
    cat = files.discovery_catalogue()
    scanned = files.scan_tree(_tree(tmp_path / "shop"), cat)
    builder = world.actor(R.ML_ENGINEER)
    size = _audit(ctx)
    drafts = discovery.draft_proposals(ctx, builder, scanned.root, scanned.findings, cat)
    assert _audit(ctx) == size  # a draft writes nothing
    by_name = {(d.kind, d.name): d for d in drafts}
    assert by_name["system", "shop"].match_id == existing.id
    assert set(by_name) == {
        ("system", "shop"), ("vendor", "OpenAI"), ("vendor", "Anthropic"),
        ("vendor", "Amazon Web Services"), ("vendor", "Hugging Face"), ("model", "credit"),
    }  # fmt: skip
    with ctx.uow() as uow:
        vendor_id = uow.vendors.all(name="OpenAI")[0].id
    assert by_name["vendor", "OpenAI"].match_id == vendor_id
    assert by_name["vendor", "Anthropic"].match_id is None
    with pytest.raises(Forbidden):
        discovery.record_scan(ctx, world.actor(R.AUDITOR), "shop", 1, scanned.findings, cat)
    _, made = discovery.record_scan(ctx, builder, scanned.root, scanned.files,
                                    scanned.findings, cat)  # fmt: skip
    with ctx.uow() as uow:
        assert len(uow.vendors.all()) == 1 and len(uow.models.all()) == 0  # nothing created
    ids = {(p.kind, p.name): p.id for p in made}
    with pytest.raises(Forbidden):
        discovery.accept(ctx, world.actor(R.AUDITOR), ids["vendor", "Anthropic"])
    accepted = discovery.accept(ctx, builder, ids["vendor", "Anthropic"])
    matched = discovery.accept(ctx, builder, ids["system", "shop"])
    assert matched.created_id == existing.id
    model = discovery.accept(ctx, builder, ids["model", "credit"], {"system_id": existing.id})
    discovery.dismiss(ctx, builder, ids["vendor", "Hugging Face"])
    with pytest.raises(Conflict):
        discovery.accept(ctx, builder, ids["vendor", "Hugging Face"])
    with ctx.uow() as uow:
        assert uow.vendors.get(str(accepted.created_id)) is not None
        found = uow.models.get(str(model.created_id))
        assert found is not None and found.system_id == existing.id
        assert not uow.vendors.all(name="Hugging Face")
    assert {p.name for p in discovery.proposals(ctx, builder)} == {"OpenAI", "Amazon Web Services"}


def test_a_new_system_needs_its_business_unit(ctx: Context, world: World, tmp_path: Path) -> None:
    cat = files.discovery_catalogue()
    scanned = files.scan_tree(_tree(tmp_path / "payments"), cat)
    builder = world.actor(R.CHIEF_AI_OFFICER)
    _, made = discovery.record_scan(ctx, builder, "payments", 1, scanned.findings, cat)
    (system,) = [p for p in made if p.kind == "system"]
    with pytest.raises(InvalidInput, match="business_unit_id"):
        discovery.accept(ctx, builder, system.id)
    done = discovery.accept(ctx, builder, system.id, {"business_unit_id": world.unit.id,
                                                      "purpose": "Takes payments"})  # fmt: skip
    with ctx.uow() as uow:
        created = uow.systems.get(str(done.created_id))
    assert created is not None and created.purpose == "Takes payments"
    assert "discovered" in created.tags and "openai" in created.tags


def test_the_cli_scans_and_writes_nothing_unless_asked(cli: Any, tmp_path: Path) -> None:
    admin = "root@example.org"
    cli("init", "--name", "Root", "--email", admin)
    person = cli("people", "create", "Eng", "eng@example.org", "--as", admin)
    cli("roles", "assign", person["id"], "ml_engineer", "--as", admin)
    tree = _tree(tmp_path / "shop")
    before = cli("audit", "verify", "--as", admin, code=1)  # 1: no checkpoint signed yet
    found = cli("discover", str(tree), "--as", "eng@example.org")
    assert not found["recorded"] and len(found["findings"]) == len(EXPECTED)
    assert cli("audit", "verify", "--as", admin, code=1)["size"] == before["size"]
    kept = cli("discover", str(tree), "--propose", "--as", "eng@example.org")
    assert kept["recorded"] and len(kept["proposals"]) == 6
    listed = cli("discovery", "proposals", "--as", "eng@example.org")
    assert listed["total"] == 6
    missing = cli("discover", str(tmp_path / "nowhere"), "--as", "eng@example.org", code=3)
    assert "is not a folder" in missing["detail"]
