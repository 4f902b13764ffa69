"""Notifications, notification settings and the calendar feed. Not tied to one region."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stprogram.models import CalendarFeed, Reminder
from stprogram.reminders import feed, services
from stprogram.reminders.forms import PreferenceForm
from stprogram.reminders.text import CATEGORY_LABELS, category_label, describe
from stprogram.site import absolute

PAGE_SIZE = 25


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """All the user's notifications, newest first, unread marked."""
    queryset = services.notifications_of(request.user).select_related("region")
    if request.GET.get("olasta"):
        queryset = queryset.filter(read_at__isnull=True)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = [
        {"reminder": r, "text": describe(r), "category": category_label(r.category)} for r in page
    ]
    only_unread = bool(request.GET.get("olasta"))
    context = {
        "page": page,
        "rows": rows,
        "only_unread": only_unread,
        "query": "olasta=1" if only_unread else "",
    }
    return render(request, "notifications/list.html", context)


def _own(request: HttpRequest, pk: int) -> Reminder:
    """One door for a notification: someone else's is a 404."""
    return get_object_or_404(Reminder, pk=pk, user=request.user, notified_at__isnull=False)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read, then go back to the list."""
    services.notification_mark_read(reminder=_own(request, pk))
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification read."""
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d aviseringar markerade som lästa.") % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """E-mail mode, categories and the calendar address."""
    preference = services.preference_of(request.user)
    initial = {
        "email_mode": preference.email_mode,
        "enabled": [key for key in CATEGORY_LABELS if key not in preference.muted],
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preference_update(
            user=request.user, email_mode=form.cleaned_data["email_mode"], muted=form.muted()
        )
        messages.success(request, _("Dina aviseringsinställningar är sparade."))
        return redirect("notifications:preferences")
    return _preferences_page(request, form)


def _preferences_page(
    request: HttpRequest, form: PreferenceForm, new_feed_url: str | None = None
) -> HttpResponse:
    context = {
        "form": form,
        "calendar": CalendarFeed.objects.filter(user=request.user).first(),
        "new_feed_url": new_feed_url,
    }
    return render(request, "notifications/preferences.html", context)


@login_required
@require_POST
def calendar_manage(request: HttpRequest) -> HttpResponse:
    """Create a new secret calendar address (shown once) or revoke the current one."""
    if request.POST.get("action") == "revoke":
        feed.feed_revoke(user=request.user)
        messages.success(request, _("Kalenderadressen är återkallad och slutar fungera direkt."))
        return redirect("notifications:preferences")
    raw = feed.feed_create(user=request.user)
    url = absolute(reverse("notifications:calendar_feed", kwargs={"token": raw}))
    preference = services.preference_of(request.user)
    initial = {"email_mode": preference.email_mode}
    return _preferences_page(request, PreferenceForm(initial=initial), new_feed_url=url)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed; an unknown or revoked token is a plain 404."""
    user = feed.feed_owner(token)
    if user is None:
        raise Http404
    response = HttpResponse(feed.calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="st-programmet.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
