"""What a system's documents say, from its records: each resolver turns the records read for
one system into facts that name the record they came from (the evidence's own facts are in
charter.reports.domain.evidence_facts). Pure: the records are read by the service and handed
over."""

from __future__ import annotations

from collections.abc import Callable

from charter.governance.domain.lifecycle import RequestStatus
from charter.governance.domain.policy import Kind
from charter.inventory.domain import LifecycleStage
from charter.reports.domain.documents import fact
from charter.reports.domain.evidence_facts import (
    audit,
    audit_counts,
    audit_date,
    evidence_data,
    groups,
    validation,
)
from charter.reports.domain.system_records import Facts, SystemRecords


def _system(r: SystemRecords) -> str:
    return f"system {r.system.id}"


def identity(r: SystemRecords) -> Facts:
    s, src = r.system, _system(r)
    current = r.versions[-1] if r.versions else None
    out = [
        fact("Name", s.name, src),
        fact("Identifier", s.id, src),
        fact("Purpose", s.purpose, src),
        fact("Intended use", s.intended_use, src),
        fact("Business unit", r.unit, src),
        fact("Owner", r.owner, src),
        fact("Operator role", s.operator_role.value, src),
    ]
    if current is not None:
        out.append(fact("Current model version", current.version, f"model version {current.id}"))
    return out


def deployment(r: SystemRecords) -> Facts:
    s, src = r.system, _system(r)
    return [
        fact("Intended use", s.intended_use, src),
        fact("Deployed in", s.deployment_context, src),
        fact("Lifecycle stage", s.stage.value, src),
        fact("Vendor", r.vendor, src),
        fact("Tags", ", ".join(s.tags), src),
    ]


def status(r: SystemRecords) -> Facts:
    stage = r.system.stage
    said = {
        LifecycleStage.DEPLOYED: "on the market or in service",
        LifecycleStage.RETIRED: "no longer on the market or in service",
        LifecycleStage.SUSPENDED: "withdrawn from service (suspended)",
    }.get(stage, "not yet on the market or in service")
    return [fact("Status", f"{said} (lifecycle stage {stage.value})", _system(r))]


def models(r: SystemRecords) -> Facts:
    names = {m.id: m.name for m in r.models}
    return [
        fact(
            f"{names.get(v.model_id, v.model_id)} {v.version}",
            ", ".join(x for x in (v.framework, v.artifact_uri) if x)
            + (f"; registered {v.registered_at:%Y-%m-%d}" if v.registered_at else ""),
            f"model version {v.id}",
        )
        for v in r.versions
    ]


def datasets(r: SystemRecords) -> Facts:
    used = dict.fromkeys(v.training_dataset_id for v in r.versions if v.training_dataset_id)
    out = []
    for dataset_id in used:
        d = r.datasets.get(dataset_id or "")
        if d is None:
            continue
        personal = (
            "special-category personal data"
            if d.special_category_data
            else ("personal data" if d.contains_personal_data else "no personal data")
        )
        text = "; ".join(
            x for x in (d.source, personal, f"retention: {d.retention}" if d.retention else "") if x
        )
        out.append(fact(f"Training data: {d.name}", text, f"dataset {d.id}"))
    return out


def classification(r: SystemRecords) -> Facts:
    c = r.classification
    if c is None:
        return []
    src = f"classification {c.id}"
    steps = c.result.get("reasoning") or []
    return [
        fact("Tier", c.tier, src),
        fact(
            "Classified",
            f"{c.classified_at:%Y-%m-%d} by {r.names.get(c.classified_by, c.classified_by)}",
            src,
        ),
        *(fact(str(s.get("cite")), s.get("finding"), src) for s in steps),
    ]


def raci(r: SystemRecords) -> Facts:
    return [
        fact(
            f"{e.activity.value.replace('_', ' ')} ({e.letter.value})",
            r.names.get(e.person_id, e.person_id),
            f"RACI of system {r.system.id}",
        )
        for e in sorted(r.raci, key=lambda e: (e.activity.value, e.letter.value, e.person_id))
    ]


def oversight(r: SystemRecords) -> Facts:
    wanted = ("monitoring", "deployment_approval", "incident_response")
    out = [f for f in raci(r) if f.label.split(" (")[0].replace(" ", "_") in wanted]
    return out + documents_of("human_oversight_plan")(r)


def documents_of(kind: str) -> Callable[[SystemRecords], Facts]:
    def resolve(r: SystemRecords) -> Facts:
        out = []
        for d in r.documents:
            if d.kind != kind:
                continue
            approved = (
                f"approved as {d.approved_role.value} on {d.approved_at:%Y-%m-%d}"
                if d.approved_role and d.approved_at
                else "not approved"
            )
            out.append(fact(d.title, f"{d.uri} ({approved})", f"document {d.id}"))
        return out

    return resolve


def thresholds(r: SystemRecords) -> Facts:
    """The evidence requirements of the policies that apply to the system's next gate."""
    out = []
    for v in r.verdicts:
        policy = next((p for p in r.policies if p.id == v.policy_id), None)
        for req in policy.requirements if policy else ():
            if req.kind is not Kind.EVIDENCE:
                continue
            bounds = " and ".join(
                x
                for x in (
                    f">= {req.minimum:g}" if req.minimum is not None else "",
                    f"<= {req.maximum:g}" if req.maximum is not None else "",
                )
                if x
            )
            age = f", evidence at most {req.max_age_days} days old" if req.max_age_days else ""
            what = req.metric or req.check
            out.append(
                fact(
                    f"{what} ({policy.id if policy else v.policy_id}/{req.id})",
                    f"{bounds or 'a value'}{age}; cites {', '.join(req.cites)}",
                    f"policy {v.policy_id} ({policy.digest[:12] if policy else ''}…)",
                )
            )
    return out


def gate(r: SystemRecords) -> Facts:
    target = r.target.value if r.target else r.system.stage.value
    return [
        fact(
            f"{v.policy_id}/{q.requirement_id} (gate to {target})",
            f"{q.verdict.value}: {q.reason}",
            f"policy {v.policy_id}" + (f"; {q.basis}" if q.basis else ""),
        )
        for v in r.verdicts
        for q in v.requirements
    ]


def changes(r: SystemRecords) -> Facts:
    out = [
        fact(
            f"{t.decided_at or t.requested_at:%Y-%m-%d}",
            f"{t.source.value} → {t.target.value}: {t.reason}",
            f"transition request {t.id}",
        )
        for t in r.transitions
        if t.status is RequestStatus.APPLIED
    ]
    names = {m.id: m.name for m in r.models}
    out += [
        fact(
            f"{v.registered_at:%Y-%m-%d}",
            f"model {names.get(v.model_id, v.model_id)} version {v.version} registered",
            f"model version {v.id}",
        )
        for v in r.versions
        if v.registered_at
    ]
    return sorted(out, key=lambda f: f.label)


def monitoring_checks(r: SystemRecords) -> Facts:
    """The evidence requirements that guard deployment (what the deployed system is held to)."""
    out = []
    for p in r.policies:
        if not p.applies.could_apply(LifecycleStage.DEPLOYED):
            continue
        if not p.applies_to(
            r.system, LifecycleStage.APPROVED_FOR_DEPLOYMENT, LifecycleStage.DEPLOYED
        ):
            continue
        for req in p.requirements:
            if req.kind is Kind.EVIDENCE:
                every = f"at least every {req.max_age_days} days" if req.max_age_days else "once"
                out.append(
                    fact(
                        f"{req.metric or req.check} ({p.id}/{req.id})",
                        f"checked {every}",
                        f"policy {p.id} ({p.digest[:12]}…)",
                    )
                )
    return out


def monitoring_plan(r: SystemRecords) -> Facts:
    issued = [i for i in r.issued if i.kind == "pmm-plan"]
    out = [
        fact(
            "Post-market monitoring plan issued",
            f"{i.issued_at:%Y-%m-%d} (SHA-256 {i.pdf_sha256[:12]}…)",
            f"issued report {i.id}",
        )
        for i in issued[:1]
    ]
    return out + documents_of("post_market_monitoring_plan")(r)


def fria_result(r: SystemRecords) -> Facts:
    issued = [i for i in r.issued if i.kind == "fria"]
    return [
        fact(
            "Fundamental-rights impact assessment",
            f"issued {i.issued_at:%Y-%m-%d} (SHA-256 {i.pdf_sha256[:12]}…)",
            f"issued report {i.id}",
        )
        for i in issued[:1]
    ]


RESOLVERS: dict[str, Callable[[SystemRecords], Facts]] = {
    "system.identity": identity,
    "system.deployment": deployment,
    "system.status": status,
    "system.models": models,
    "system.datasets": datasets,
    "system.classification": classification,
    "system.raci": raci,
    "system.oversight": oversight,
    "system.thresholds": thresholds,
    "system.gate": gate,
    "system.changes": changes,
    "evidence.validation": validation,
    "evidence.data": evidence_data,
    "evidence.groups": groups,
    "evidence.audit": audit,
    "evidence.audit_date": audit_date,
    "evidence.audit_counts": audit_counts,
    "monitoring.checks": monitoring_checks,
    "monitoring.plan": monitoring_plan,
    "reports.fria": fria_result,
    **{
        f"documents.{k}": documents_of(k)
        for k in (
            "instructions_for_use",
            "risk_management_plan",
            "eu_declaration_of_conformity",
            "dpia",
            "human_oversight_plan",
            "post_market_monitoring_plan",
            "data_governance_record",
        )
    },
}


def resolve(r: SystemRecords, wanted: set[str]) -> dict[str, Facts]:
    """The facts of each field wanted (a field no resolver knows is left out: fill names it)."""
    return {name: RESOLVERS[name](r) for name in wanted if name in RESOLVERS}
