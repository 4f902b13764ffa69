"""A person's deadlines as an iCalendar feed at a secret, revocable address."""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from regions import tenancy
from regions.models import Membership, Region, Role
from stprogram.models import CalendarFeed, User
from stprogram.reminders.collect import Due, Scope, collect
from stprogram.reminders.text import detail, title
from stprogram.site import absolute
from supervision.models import Assignment
from trainees.models import Trainee


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def feed_create(*, user: User) -> str:
    """Give the user a new secret address (the old one stops working); returns the token once."""
    raw = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": _hash(raw), "created_at": timezone.now()}
    )
    return raw


def feed_revoke(*, user: User) -> None:
    """Stop the user's calendar address from working."""
    CalendarFeed.objects.filter(user=user).delete()


def feed_owner(raw: str) -> User | None:
    """The user a token belongs to, or None for an unknown or revoked token."""
    feed = CalendarFeed.objects.filter(token_hash=_hash(raw)).select_related("user").first()
    return feed.user if feed is not None and feed.user.is_active else None


def open_obligations(user: User, on: date) -> list[Due]:
    """Every open obligation the user is reminded of, in every region (not escalations)."""
    scopes: defaultdict[int, dict[str, set[int]]] = defaultdict(
        lambda: {
            "trainee_ids": set(),
            "unit_ids": set(),
            "supervisor_ids": set(),
            "measure_owner_ids": {user.pk},
        }
    )
    # Finding the user's own subjects spans regions; each region's collection
    # below runs in that region alone.
    with tenancy.all_regions():
        trainees = list(Trainee.unscoped.filter(user=user).values_list("region_id", "pk"))
        supervised = Assignment.unscoped.filter(
            user=user, role="main_supervisor", start_date__lte=on
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        trainees += supervised.values_list("region_id", "trainee_id")
        memberships = list(
            Membership.unscoped.filter(user=user).values_list("region_id", "role", "unit_id")
        )
        # A head of unit owns the development talk and a study director follows up
        # action plans: their units' trainees are theirs to hear about too.
        led = [u for _r, role, u in memberships if role in _UNIT_ROLES and u is not None]
        trainees += Trainee.unscoped.filter(home_unit_id__in=led).values_list("region_id", "pk")
    for region_id, pk in trainees:
        scopes[region_id]["trainee_ids"].add(pk)
    for region_id, role, unit_id in memberships:
        # Every region the user belongs to gets a scope: they may own measures there.
        scope = scopes[region_id]
        if role in (Role.HEAD_OF_UNIT, Role.STUDY_DIRECTOR) and unit_id is not None:
            scope["unit_ids"].add(unit_id)
        if role == Role.SUPERVISOR:
            scope["supervisor_ids"].add(user.pk)
    items: list[Due] = []
    for region in Region.objects.filter(pk__in=scopes).order_by("name"):
        scope = Scope(**{name: frozenset(ids) for name, ids in scopes[region.pk].items()})
        items += [i for i in collect(region, on, scope) if user.pk in i.recipients]
    return sorted(items, key=lambda i: (i.due, i.key))


_UNIT_ROLES = (Role.HEAD_OF_UNIT, Role.STUDY_DIRECTOR)


def calendar(user: User, on: date | None = None) -> bytes:
    """The iCalendar document of the user's open obligations, one all-day event each."""
    on = on or timezone.localdate()
    cal = Calendar()
    cal.add("prodid", "-//ST-programmet//stprogram//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("ST-programmet: mina deadlines"))
    stamp = timezone.now()
    for item in open_obligations(user, on):
        cal.add_component(_event(item, stamp))
    return cal.to_ical()


def _event(item: Due, stamp: object) -> Event:
    link = absolute(item.path)
    summary = title(item.code, item.label)
    if item.status == "overdue":
        summary = _("Försenad: %(title)s") % {"title": summary}
    event = Event()
    event.add("uid", f"{_hash(item.key)[:32]}@stprogram")
    event.add("dtstamp", stamp)
    event.add("dtstart", item.due)
    event.add("dtend", item.due + timedelta(days=1))
    event.add("summary", summary)
    event.add(
        "description", f"{detail(item.strength, item.count, item.required, item.source)}\n{link}"
    )
    event.add("url", link)
    return event
