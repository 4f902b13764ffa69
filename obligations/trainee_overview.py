"""What the programme page shows: planned end, timeline, documents and records."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from obligations.facts import evaluate_trainee, trainee_obligations
from obligations.labels import STATUS_ICONS, STATUS_LABELS, STRENGTH_LABELS, code_label
from obligations.links import obligation_url
from regions.rules.engine import Obligation
from stprogram.models import Signature
from stprogram.signing import PARTY_LABELS
from trainees import parties as p
from trainees.models import Absence, Activity, Contract, IupVersion, Rotation, Trainee
from trainees.timeline import TimelineItem, render_timeline, timeline_rows


def document_status(obj: Contract | IupVersion | None, parties: p.Parties) -> dict[str, Any]:
    """Which parties have signed, and whether the document is complete."""
    if obj is None:
        return {"obj": None, "signed": [], "missing": [], "complete": False}
    ct = ContentType.objects.get_for_model(obj)
    signatures = list(
        Signature.objects.filter(content_type=ct, object_id=obj.pk).select_related("user")
    )
    signed = {s.party for s in signatures}
    missing = [g for g in parties.groups if not signed & set(g)]
    return {
        "obj": obj,
        "signatures": signatures,
        "complete": not missing,
        "missing": [" / ".join(str(PARTY_LABELS[x]) for x in g) for g in missing],
    }


def iup_parties_for(iup: IupVersion) -> p.Parties:
    """Who must approve this IUP version: a revision once an earlier version of its phase is.

    Only where the region's revision parties differ (Blekinge) is the earlier
    version looked at.
    """
    slug = iup.trainee.region.slug
    first = p.iup_parties(slug, revision=False)
    revision = p.iup_parties(slug, revision=True)
    if revision == first:
        return first
    earlier = IupVersion.objects.filter(
        trainee_id=iup.trainee_id, phase=iup.phase, version__lt=iup.version
    )
    ct = ContentType.objects.get_for_model(IupVersion)
    rows = Signature.objects.filter(content_type=ct, object_id__in=earlier.values("pk"))
    by_version: dict[int, set[str]] = {}
    for object_id, party in rows.values_list("object_id", "party"):
        by_version.setdefault(object_id, set()).add(party)
    approved = any(p.is_complete(first, parties) for parties in by_version.values())
    return revision if approved else first


def programme(trainee: Trainee, *, may_edit: bool) -> dict[str, Any]:
    """Everything the overview page shows about one trainee's programme.

    `may_edit` is the viewer's `trainees.permissions.may_edit`: each obligation
    links to where it is done, or for a read-only viewer to where it is shown.
    """
    today = timezone.localdate()
    evaluation = evaluate_trainee(trainee, today)
    end = evaluation.planned_end
    rotations = list(Rotation.objects.filter(trainee=trainee).select_related("host_region"))
    activities = list(Activity.objects.filter(trainee=trainee))
    absences = list(Absence.objects.filter(trainee=trainee))
    items = _timeline_items(trainee, end, rotations, activities, absences)
    slug = trainee.region.slug
    contract = Contract.objects.filter(trainee=trainee).order_by("-version").first()
    iup = IupVersion.objects.filter(trainee=trainee, phase="ST").order_by("-version").first()
    return {
        "planned_end": end,
        "obligations": [
            _obligation_row(o, obligation_url(slug, trainee.pk, o.code, may_edit=may_edit))
            for o in trainee_obligations(evaluation)
        ],
        "timeline_svg": render_timeline(
            start=trainee.start_date,
            planned_end=end,
            items=items,
            today=today,
            title=_("Tidslinje för ST"),
        ),
        "timeline_rows": timeline_rows(items=items, today=today, planned_end=end),
        "rotations": rotations,
        "activities": activities,
        "absences": absences,
        "action_plans": list(trainee.action_plans.order_by("-created_at")),
        "contract": document_status(contract, p.CONTRACT_PARTIES[slug]),
        "iup": document_status(iup, iup_parties_for(iup) if iup else p.IUP_PARTIES[slug]),
    }


def _obligation_row(o: Obligation, url: str) -> dict[str, Any]:
    period = o.period.isoformat() if hasattr(o.period, "isoformat") else o.period
    return {
        "label": code_label(o.code),
        "strength": STRENGTH_LABELS[o.strength],
        "period": period,
        "due": o.due,
        "status": o.status,
        "status_label": STATUS_LABELS[o.status],
        "icon": STATUS_ICONS[o.status],
        "done_on": o.done_on,
        "count": o.count,
        "required": o.required,
        "source": o.source,
        "url": url,
    }


def _timeline_items(
    trainee: Trainee,
    end: Any,
    rotations: list[Rotation],
    activities: list[Activity],
    absences: list[Absence],
) -> list[TimelineItem]:
    items = []
    if trainee.bt_end:
        items.append(TimelineItem("bt", _("BT"), trainee.start_date, trainee.bt_end))
        items.append(TimelineItem("st", _("ST"), trainee.bt_end, end))
    else:
        items.append(TimelineItem("st", _("ST"), trainee.start_date, end))
    for r in rotations:
        note = r.host_region.name if r.host_region else ""
        items.append(TimelineItem("rotation", r.unit_name, r.start, r.end, note))
    kinds = {"course": "course", "auskultation": "auskultation"}
    for a in activities:
        if a.kind in kinds:
            items.append(TimelineItem(kinds[a.kind], a.title, a.start, a.end))
    for a in absences:
        items.append(TimelineItem("absence", a.get_kind_display(), a.start, a.end))
    return items
