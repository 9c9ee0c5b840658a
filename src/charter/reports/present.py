"""Reports as JSON-ready data: a field map, an issued report without its bytes."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from fastapi.responses import Response

from charter.kernel.present import as_json
from charter.reports.domain.documents import FieldMap, IssuedReport


def issued_json(item: IssuedReport, with_data: bool = False) -> dict[str, Any]:
    kept = {f.name: getattr(item, f.name) for f in fields(item) if f.name not in ("pdf", "data")}
    out: dict[str, Any] = as_json(kept)
    if with_data:
        out["data"] = item.data
    return out


def field_map_json(fmap: FieldMap) -> dict[str, Any]:
    return {
        "kind": fmap.kind,
        "title": fmap.title,
        "scope": fmap.scope,
        "instrument": fmap.instrument,
        "sources": list(fmap.sources),
        "parts": [
            {
                "id": p.id,
                "title": p.title,
                "cite": p.cite,
                "items": [
                    {
                        "id": i.id,
                        "title": i.title,
                        "cite": i.cite,
                        "from": list(i.origins),
                        "field": i.field or None,
                        "mandatory": i.mandatory,
                        "guidance": i.guidance or None,
                    }
                    for i in p.items
                ],
            }
            for p in fmap.parts
        ],
    }


def pdf_response(pdf: bytes, name: str) -> Response:
    """A PDF to download, named."""
    headers = {"Content-Disposition": f'attachment; filename="{name}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)
