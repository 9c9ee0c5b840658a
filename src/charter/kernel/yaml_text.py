"""YAML as Charter reads it (suites, policies, packs, answers files): the safe loader, in C
where libyaml is there (a suite of a hundred checks parses in milliseconds, not tenths), no
longer than MAX_YAML characters, and without anchors or aliases: an alias repeats a node, and
a few lines of them nested (the "billion laughs") unfold into more than any machine holds."""

from __future__ import annotations

from typing import Any

import yaml

from charter.kernel.errors import InvalidInput

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: characters a YAML text may hold; the largest file Charter ships holds 45,000
MAX_YAML = 1_000_000


def parse_yaml(text: str, limit: int = MAX_YAML) -> Any:
    """The document's data; yaml.YAMLError when it is not YAML, InvalidInput when it is too
    long or holds an anchor or alias (refused as the parser meets it, before any is used)."""
    if len(text) > limit:
        raise InvalidInput(f"the YAML text is longer than {limit:,} characters")
    if "&" in text or "*" in text:  # an anchor is written &name, an alias *name: else none
        _refuse_anchors(text)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (a safe loader: no Python objects)


def _refuse_anchors(text: str) -> None:
    """InvalidInput at the first anchor or alias (a pass over the parser's events, before
    the document is built)."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise InvalidInput(
                "YAML anchors and aliases (&name, *name) are not accepted: write the value out"
            )


class _Plain(yaml.SafeDumper):
    """Writes a value used twice out twice, since parse_yaml reads no anchors or aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump_yaml(value: Any, **options: Any) -> str:
    """YAML that parse_yaml reads back (yaml.safe_dump's options: sort_keys, width ...)."""
    return str(yaml.dump(value, Dumper=_Plain, **options))
