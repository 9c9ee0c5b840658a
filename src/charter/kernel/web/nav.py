"""The UI's navigation as data: groups of links, the page being shown marked. A capability
that adds pages adds its link to a group here (or a new group); base.html only renders it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    href: str
    #: other address prefixes that belong to this link's section (a system under Inventory)
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    title: str
    links: tuple[Link, ...]


NAV: tuple[Group, ...] = (
    Group(
        "Overview",
        (
            Link("Dashboard", "/ui/"),
            Link("Approvals", "/ui/approvals"),
            Link("Incidents", "/ui/incidents"),
            Link("Scorecard", "/ui/scorecard"),
            Link("Reports", "/ui/organisation/reports"),
        ),
    ),
    Group(
        "Strategy",
        (
            Link("Portfolio", "/ui/portfolio", ("/ui/use-cases",)),
            Link("Roadmap", "/ui/roadmap"),
            Link("KPIs", "/ui/kpis"),
        ),
    ),
    Group(
        "Governance",
        (
            Link("Inventory", "/ui/systems"),
            Link("Models and data", "/ui/models", ("/ui/datasets", "/ui/vendors")),
            Link("Policies", "/ui/governance", ("/ui/packs",)),
            Link("Risks", "/ui/risks", ("/ui/risk-assessments", "/ui/risk-controls")),
            Link("Obligations", "/ui/obligations"),
            Link("Audit", "/ui/audit"),
            Link("Notifications", "/ui/notifications"),
        ),
    ),
    Group(
        "Data",
        (
            Link("Import", "/ui/import"),
            Link("Lineage", "/ui/lineage"),
            Link("Discovery", "/ui/discovery"),
        ),
    ),
    Group(
        "People",
        (
            Link("People", "/ui/people"),
            Link("Bodies", "/ui/bodies", ("/ui/meetings",)),
            Link("Talent", "/ui/talent"),
            Link("Adoption", "/ui/adoption"),
        ),
    ),
)


def current_link(path: str, groups: tuple[Group, ...] = NAV) -> str | None:
    """The href of the link whose section holds `path` (the longest match), or None."""
    best: tuple[int, str | None] = (0, None)
    for group in groups:
        for link in group.links:
            for prefix in (link.href, *link.also):
                exact = prefix == "/ui/"
                hit = path == prefix if exact else path == prefix or path.startswith(prefix + "/")
                if hit and len(prefix) > best[0]:
                    best = (len(prefix), link.href)
    return best[1]
