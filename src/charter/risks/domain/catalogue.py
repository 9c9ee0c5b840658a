"""The risk catalogue: categories a risk is filed under, grouped in domains, each naming the
public source it paraphrases and its place there. Shipped as data (data/catalogue.yaml);
an organisation adds its own categories with a file of the same shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from charter.kernel.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    domain: str  # the domain's id (MIT.1, GAI, ...)
    domain_title: str
    ref: str  # its place in the source: a subdomain or section number
    title: str
    description: str
    source: str  # the source's title
    url: str
    related: tuple[str, ...] = ()  # categories of another source that cover the same ground
    uncertain: bool = False  # read from secondary sources only, or may have moved since
    note: str = ""


Catalogue = Mapping[str, Category]


def _categories(raw: Mapping[str, Any], where: str) -> list[Category]:
    sources, domains = raw["sources"], raw["domains"]
    out = []
    for item in raw["categories"]:
        domain = domains.get(item["domain"])
        if domain is None:
            raise InvalidInput(f"{where}: category {item['id']}: unknown domain {item['domain']!r}")
        source = sources.get(domain["source"])
        if source is None:
            raise InvalidInput(f"{where}: domain {item['domain']}: unknown source")
        out.append(Category(
            str(item["id"]), str(item["domain"]), str(domain["title"]), str(item["ref"]),
            str(item["title"]), str(item["description"]), str(source["title"]),
            str(source["url"]), tuple(item.get("related") or ()), bool(item.get("uncertain")),
            str(item.get("note") or ""),
        ))  # fmt: skip
    return out


def parse_catalogue(files: Sequence[tuple[str, Mapping[str, Any]]]) -> dict[str, Category]:
    """Categories of every file (already checked against the schema), ids unique across them
    and every `related` id known."""
    found: dict[str, Category] = {}
    for where, raw in files:
        for category in _categories(raw, where):
            if category.id in found:
                raise InvalidInput(f"{where}: category id {category.id!r} is used twice")
            found[category.id] = category
    dangling = sorted({r for c in found.values() for r in c.related if r not in found})
    if dangling:
        raise InvalidInput(f"risk catalogue: related categories unknown: {', '.join(dangling)}")
    return found
