"""Shadow-AI discovery: where a source tree uses an AI SDK or holds a model file, by the
catalogue (data/discovery.yaml). Python is read as a syntax tree, JavaScript and TypeScript as
tokens, so a name in a comment or a string is never a use. Pure: a file's path and text in,
findings out; and findings in, inventory proposals out."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

PYTHON = (".py", ".pyi")
JAVASCRIPT = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")
MANIFESTS = ("package.json", "pyproject.toml")


@dataclass(frozen=True, slots=True)
class Sdk:
    id: str
    name: str
    vendor: str | None
    kind: str
    python: tuple[str, ...]
    javascript: tuple[str, ...]
    packages: tuple[str, ...]
    calls: tuple[str, ...]
    client_calls: tuple[tuple[str, tuple[str, ...]], ...]  # (call, first arguments)
    source: str


@dataclass(frozen=True, slots=True)
class Catalogue:
    sdks: tuple[Sdk, ...]
    model_files: Mapping[str, str]  # extension -> format

    def sdk(self, ident: str) -> Sdk:
        return next(s for s in self.sdks if s.id == ident)


def parse_catalogue(raw: Mapping[str, Any]) -> Catalogue:
    """A catalogue from its (schema-checked) data."""
    sdks = tuple(
        Sdk(s["id"], s["name"], s["vendor"], s["kind"], tuple(s["python"]),
            tuple(s["javascript"]), tuple(s["packages"]), tuple(s["calls"]),
            tuple((c["call"], tuple(c["first_argument"])) for c in s.get("client_calls", ())),
            s["source"])
        for s in raw["sdks"]
    )  # fmt: skip
    return Catalogue(sdks, {m["extension"]: m["format"] for m in raw["model_files"]})


@dataclass(frozen=True, slots=True)
class Finding:
    sdk: str  # an SDK's id, or "model-file"
    how: str  # import, call, dependency, model_file
    path: str  # relative to the scanned folder
    line: int
    detail: str


# --- Python ---------------------------------------------------------------------------------


def _module_sdk(cat: Catalogue, module: str) -> Sdk | None:
    for sdk in cat.sdks:
        if any(module == m or module.startswith(m + ".") for m in sdk.python):
            return sdk
    return None


def _dotted(node: ast.expr, aliases: Mapping[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return "*." + ".".join(reversed(parts)) if parts else None
    head = aliases.get(node.id, node.id)
    return ".".join([head, *reversed(parts)])


def _imports(tree: ast.AST, cat: Catalogue, path: str) -> tuple[list[Finding], dict[str, str]]:
    found, aliases = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [(a.name, a.asname or a.name.split(".")[0], a.asname is not None
                      ) for a in node.names]  # fmt: skip
            for module, local, renamed in names:
                aliases[local] = module if renamed else local
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [(node.module, a.asname or a.name, False) for a in node.names]
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        else:
            continue
        for module, _, _ in names:
            sdk = _module_sdk(cat, module)
            if sdk is not None:
                found.append(Finding(sdk.id, "import", path, node.lineno, module))
    return found, aliases


def _first_text(call: ast.Call) -> str | None:
    args = [*call.args[:1], *(k.value for k in call.keywords if k.arg == "service_name")]
    for a in args:
        if isinstance(a, ast.Constant) and isinstance(a.value, str):
            return a.value
    return None


def _call(cat: Catalogue, name: str, call: ast.Call) -> Sdk | None:
    for sdk in cat.sdks:
        if name in sdk.calls:
            return sdk
        for pattern, firsts in sdk.client_calls:
            matches = name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:]))
            if matches and _first_text(call) in firsts:
                return sdk
    return None


def scan_python(path: str, text: str, cat: Catalogue) -> list[Finding]:
    """Imports and calls of the catalogue's SDKs in Python source (comments and strings are
    not code); a file that does not parse yields nothing."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found, aliases = _imports(tree, cat, path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func, aliases)
            sdk = _call(cat, name, node) if name else None
            if sdk is not None:
                found.append(Finding(sdk.id, "call", path, node.lineno, str(name)))
    return found


# --- JavaScript and TypeScript --------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<comment>//[^\n]*|/\*.*?\*/)"""
    r"""|(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)"""
    r"""|(?P<word>[A-Za-z_$][\w$]*)|(?P<punct>[()])|(?P<newline>\n)""",
    re.DOTALL,
)


def _tokens(text: str) -> Iterable[tuple[str, str, int]]:
    line = 1
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or ""
        if kind not in {"comment", "newline"}:
            yield kind, m.group(), line
        line += m.group().count("\n")


def _js_imports(text: str) -> Iterable[tuple[str, int]]:
    """Modules a JS/TS file imports: `from "m"`, `import "m"`, `require("m")`, `import("m")`."""
    tokens = list(_tokens(text))
    for i, (kind, value, line) in enumerate(tokens):
        if kind != "string" or value[0] == "`":
            continue
        before = [t[1] for t in tokens[max(0, i - 2) : i]]
        if before[-1:] in (["from"], ["import"]) or before[-2:] in (
            ["require", "("], ["import", "("]):  # fmt: skip
            yield value[1:-1], line


def _package_sdk(cat: Catalogue, name: str, field_: str = "javascript") -> Sdk | None:
    for sdk in cat.sdks:
        if any(name == p or name.startswith(p + "/") for p in getattr(sdk, field_)):
            return sdk
    return None


def scan_javascript(path: str, text: str, cat: Catalogue) -> list[Finding]:
    return [Finding(sdk.id, "import", path, line, module)
            for module, line in _js_imports(text)
            if (sdk := _package_sdk(cat, module)) is not None]  # fmt: skip


# --- dependency manifests -------------------------------------------------------------------


def _normal(name: str) -> str:
    return name if name.startswith("@") else re.sub(r"[-_.]+", "-", name).lower()


def _requirements(text: str) -> Iterable[tuple[str, int]]:
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)", line)
        if m and not line.startswith("-"):
            yield m.group(1), n


def _declared(name: str, text: str) -> Iterable[tuple[str, int]]:
    try:
        if name == "package.json":
            doc = json.loads(text)
            for key in ("dependencies", "devDependencies", "peerDependencies"):
                yield from ((p, 0) for p in (doc.get(key) or {}))
        else:
            doc = tomllib.loads(text)
            project = doc.get("project", {})
            deps = list(project.get("dependencies", []))
            deps += [d for g in project.get("optional-dependencies", {}).values() for d in g]
            deps += list(doc.get("tool", {}).get("poetry", {}).get("dependencies", {}))
            yield from ((d, 0) for d, _ in (_requirements_one(d) for d in deps) if d)
    except (ValueError, AttributeError, TypeError):
        return


def _requirements_one(spec: str) -> tuple[str, int]:
    m = re.match(r"^\s*([A-Za-z0-9@][A-Za-z0-9._/@-]*)", str(spec))
    return (m.group(1) if m else ""), 0


def scan_manifest(path: str, text: str, cat: Catalogue) -> list[Finding]:
    name = path.rsplit("/", 1)[-1]
    pairs = _declared(name, text) if name in MANIFESTS else _requirements(text)
    out = []
    for package, line in pairs:
        wanted = _normal(package)
        for sdk in cat.sdks:
            if wanted in {_normal(p) for p in sdk.packages}:
                out.append(Finding(sdk.id, "dependency", path, line, package))
    return out


def is_manifest(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name in MANIFESTS or bool(re.match(r"^requirements[\w.-]*\.(txt|in)$", name))


def scan_file(path: str, text: str, cat: Catalogue) -> list[Finding]:
    """What one source or manifest file uses (nothing for other files)."""
    if path.endswith(PYTHON):
        return scan_python(path, text, cat)
    if path.endswith(JAVASCRIPT):
        return scan_javascript(path, text, cat)
    return scan_manifest(path, text, cat) if is_manifest(path) else []


def model_file(path: str, cat: Catalogue) -> Finding | None:
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    fmt = cat.model_files.get(suffix)
    return Finding("model-file", "model_file", path, 0, fmt) if fmt else None


# --- proposals ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Draft:
    """An inventory entry discovery proposes, and the existing record it matches."""

    kind: str  # system, vendor, model
    name: str
    fields: Mapping[str, Any]
    found: Mapping[str, Any]  # the evidence: SDKs, files and lines
    match_id: str | None = None


@dataclass(frozen=True, slots=True)
class Known:
    """Existing records, by lower-cased name -> id."""

    systems: Mapping[str, str] = field(default_factory=dict)
    vendors: Mapping[str, str] = field(default_factory=dict)
    models: Mapping[str, str] = field(default_factory=dict)


def _where(findings: Sequence[Finding]) -> list[str]:
    return sorted({f"{f.path}:{f.line}" if f.line else f.path for f in findings})[:50]


def propose(root: str, findings: Sequence[Finding], cat: Catalogue, known: Known) -> list[Draft]:
    """A system for the scanned folder when it uses an SDK, a vendor per hosted SDK's vendor,
    a model per model file; each matched against the records that exist (by name)."""
    by_sdk: dict[str, list[Finding]] = {}
    for f in findings:
        by_sdk.setdefault(f.sdk, []).append(f)
    sdks = sorted(s for s in by_sdk if s != "model-file")
    drafts: list[Draft] = []
    if sdks:
        names = ", ".join(cat.sdk(s).name for s in sdks)
        fields = {"purpose": f"Uses {names} (found by discovery; say what it is for)",
                  "tags": ["discovered", *sdks]}  # fmt: skip
        found = {s: _where(by_sdk[s]) for s in sdks}
        drafts.append(Draft("system", root, fields, found, known.systems.get(root.lower())))
    vendors: dict[str, list[Finding]] = {}
    for s in sdks:
        vendor = cat.sdk(s).vendor
        if vendor:
            vendors.setdefault(vendor, []).extend(by_sdk[s])
    for vendor, items in sorted(vendors.items()):
        drafts.append(Draft("vendor", vendor, {}, {"files": _where(items)},
                            known.vendors.get(vendor.lower())))  # fmt: skip
    for f in by_sdk.get("model-file", []):
        stem = f.path.rsplit("/", 1)[-1].rsplit(".", 1)[0][:200]
        drafts.append(Draft("model", stem, {"artifact_uri": f.path, "format": f.detail},
                            {"files": [f.path]}, known.models.get(stem.lower())))  # fmt: skip
    return drafts
