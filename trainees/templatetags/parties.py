"""``{{ signature.party|party_label }}``: a signing party's Swedish name, never its code."""

from __future__ import annotations

from django import template

from stprogram.signing import PARTY_LABELS

register = template.Library()


@register.filter
def party_label(party: str) -> str:
    """ "main_supervisor" -> "Huvudhandledare"; an unknown party is shown as it is."""
    return str(PARTY_LABELS.get(party, party))
