"""API: framework packs and compliance readiness."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from charter.domain.access import ensure_member
from charter.domain.errors import NotFound
from charter.engines.packs import crosswalk, load_packs
from charter.services import policies, readiness
from charter.web.deps import Ctx, Who
from charter.web.present import as_json, readiness_report

router = APIRouter()
Schedule = Literal["amended", "original"]


@router.get("/packs", tags=["frameworks"])
def list_packs(who: Who) -> dict[str, Any]:
    ensure_member(who)
    items = [
        {"id": p.id, "title": p.title, "nature": p.nature, "requirements": len(p.requirements)}
        for p in load_packs()
    ]
    return {"items": items, "total": len(items)}


@router.get("/packs/{pack_id}", tags=["frameworks"])
def get_pack(ctx: Ctx, who: Who, pack_id: str) -> Any:
    """A pack's requirements, each with the policy requirements in force that cite it, and
    the crosswalk links that name them."""
    ensure_member(who)
    pack = next((p for p in load_packs() if p.id == pack_id), None)
    if pack is None:
        raise NotFound("pack", pack_id)
    cited = policies.citing(ctx, who)
    links = [
        {"id": link["id"], "title": link["title"], "requirements": link["requirements"]}
        for link in crosswalk()["links"]
        if pack_id in link["requirements"]
    ]
    requirements = [{**as_json(r), "policies": cited.get(r.id, [])} for r in pack.requirements]
    return {**as_json(pack), "requirements": requirements, "crosswalk": links}


@router.get("/readiness", tags=["frameworks"])
def org_readiness(
    ctx: Ctx, who: Who, pack: str | None = None, schedule: Schedule = "amended"
) -> Any:
    """Every visible system against every pack (or one), with the organisation's roll-up."""
    items = readiness.system_readiness(ctx, who, load_packs(), None, pack, schedule)
    return readiness_report(items, detail=False)


@router.get("/systems/{system_id}/readiness", tags=["frameworks"])
def system_readiness(
    ctx: Ctx, who: Who, system_id: str, pack: str | None = None, schedule: Schedule = "amended"
) -> Any:
    """One system: each applicable requirement, satisfied (by what), open or not yet."""
    items = readiness.system_readiness(ctx, who, load_packs(), system_id, pack, schedule)
    return readiness_report(items, detail=True)
