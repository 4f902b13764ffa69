"""Who may write what in supervision; one door per object kind."""

from __future__ import annotations

from stprogram.models import User
from supervision.yearly import YEARLY_FORMS, offered_in, yearly_form
from trainees.models import Trainee
from trainees.services import party_holders


def may_author_yearly(*, user: User, trainee: Trainee, kind: str) -> bool:
    """Only the party the source names for the kind, for this trainee's unit, writes it.

    A trainee's own "development talk" must not clear the head of unit's obligation.
    """
    if not offered_in(kind, trainee.region.slug):
        return False
    return user.pk in party_holders(trainee)[yearly_form(kind).author]


def yearly_kinds_for(*, user: User, trainee: Trainee) -> list[tuple[str, str]]:
    """(kind, label) of the yearly records the user may write for the trainee."""
    holders = party_holders(trainee)
    slug = trainee.region.slug
    return [
        (k, f.label)
        for k, f in YEARLY_FORMS.items()
        if user.pk in holders[f.author] and offered_in(k, slug)
    ]
