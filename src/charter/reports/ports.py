"""Ports of reports: stored sections, issued documents and submissions; the renderer that
turns a report into a PDF; the signer that seals decision bundles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from charter.bodies import ports as bodies
from charter.incidents import ports as incidents
from charter.kernel.ports import Repository
from charter.reports.domain.documents import IssuedReport, Report, Section, Submission


class UnitOfWork(bodies.UnitOfWork, incidents.UnitOfWork, Protocol):
    report_sections: Repository[Section]
    issued_reports: Repository[IssuedReport]
    report_submissions: Repository[Submission]


class Renderer(Protocol):
    """Turns a report into its PDF (a draft is watermarked DRAFT on every page)."""

    def pdf(self, report: Report, draft: bool) -> bytes: ...


class Context(bodies.Context, incidents.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def renderer(self) -> Renderer: ...
