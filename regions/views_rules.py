"""The region's rules ("Regler"), and all regions side by side."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from obligations.citations import citation_text, rule_anchor, section_text
from obligations.labels import CODE_LABELS, STRENGTH_LABELS, SUBJECT_LABELS
from obligations.regional_rules import regional_lines
from regions.models import Role
from regions.rules.profile import Rule, all_profiles, load_profile
from stprogram.decorators import role_required

ANY_ROLE = tuple(Role.values)
PHASE_LABELS = {"all": gettext_lazy("Hela utbildningen"), "BT": "BT", "ST": "ST"}


def numbers(rule: Rule) -> str:
    """The rule's numbers in words, e.g. "inom 6 mån", "var 12:e mån", "4 per år"."""
    parts = []
    if rule.months is not None:
        parts.append(_("inom %(n)d mån") % {"n": rule.months})
    if rule.interval_months is not None:
        parts.append(_("var %(n)d:e mån") % {"n": rule.interval_months})
    if rule.first_review_months is not None:
        parts.append(_("första gången inom %(n)d mån") % {"n": rule.first_review_months})
    if rule.quota is not None:
        parts.append(_("%(n)d per utbildningsår") % {"n": rule.quota})
    if rule.months_before:
        parts.append(_("%(n)d mån före") % {"n": rule.months_before})
    if rule.min_rotation_months:
        parts.append(_("placeringar över %(n)d mån") % {"n": rule.min_rotation_months})
    return ", ".join(parts)


def _text(item: Any) -> str:
    return item.text_en if get_language() == "en" else item.text_sv


@role_required(*ANY_ROLE)
def rules(request: HttpRequest) -> HttpResponse:
    """The active region's rule profile, each rule with strength, numbers and source."""
    profile = load_profile(request.region.slug)
    rows = [
        {
            "code": r.code,
            "anchor": rule_anchor(r.code),
            "label": CODE_LABELS.get(r.code, r.code),
            "subject": SUBJECT_LABELS[r.subject],
            "strength": r.strength,
            "strength_label": STRENGTH_LABELS[r.strength],
            "numbers": numbers(r),
            "text": _text(r),
            "source": citation_text(r.source),
        }
        for r in profile.rules
    ]
    rates = [
        {
            "label": CODE_LABELS.get(r.code, r.code),
            "strength": STRENGTH_LABELS[r.strength],
            "text": _text(r),
            "source": citation_text(r.source),
            "phase": PHASE_LABELS[r.phase],
        }
        for r in profile.rates
    ]
    info = [
        {
            "key": i.key,
            "text": _text(i),
            "source": citation_text(i.source),
            "strength": STRENGTH_LABELS.get(i.strength or "", ""),
        }
        for i in profile.info
    ]
    return render(
        request,
        "regions/rules.html",
        {
            "profile": profile,
            "rows": rows,
            "rates": rates,
            "info": info,
            "regional": regional_lines(profile),
        },
    )


@role_required(*ANY_ROLE)
def rules_compare(request: HttpRequest) -> HttpResponse:
    """All five regions obligation by obligation; rows where they differ are marked."""
    profiles = list(all_profiles().values())
    codes = list(dict.fromkeys(r.code for p in profiles for r in p.rules))
    rows = []
    for code in codes:
        cells = [_cell(next((r for r in p.rules if r.code == code), None)) for p in profiles]
        signatures = {(c["strength"], c["numbers"]) for c in cells}
        rows.append(
            {
                "code": code,
                "label": CODE_LABELS.get(code, code),
                "cells": cells,
                "differs": len(signatures) > 1,
            }
        )
    return render(request, "regions/rules_compare.html", {"profiles": profiles, "rows": rows})


def _cell(rule: Rule | None) -> dict[str, str]:
    if rule is None:
        return {"strength": "", "label": "—", "numbers": "", "source": "", "text": ""}
    return {
        "strength": rule.strength,
        "label": str(STRENGTH_LABELS[rule.strength]),
        "numbers": numbers(rule),
        "source": section_text(rule.source),
        "text": _text(rule),
    }
