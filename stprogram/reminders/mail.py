"""Reminder e-mails: Swedish, plain text and HTML, with a link straight to the thing to do.

Only names, dates and the obligation appear; never a personnummer.
"""

from __future__ import annotations

from datetime import date

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stprogram.models import Reminder, User
from stprogram.reminders.text import category_label, describe
from stprogram.site import absolute


def reminder_message(reminder: Reminder, *, today: date | None = None) -> EmailMultiAlternatives:
    """The e-mail for one reminder, sent on `today`."""
    with translation.override("sv"):
        text = describe(reminder, today)
        context = {
            "reminder": reminder,
            "text": text,
            "category": category_label(reminder.category),
            "link": absolute(reminder.path),
            "settings_link": absolute(reverse("notifications:preferences")),
        }
        subject = _("Påminnelse: %(title)s") % {"title": text.title}
        return _message(reminder.user, subject, "emails/reminder", context)


def digest_message(
    user: User, reminders: list[Reminder], *, today: date | None = None
) -> EmailMultiAlternatives:
    """The weekly digest, sent on `today`: the reminders gathered since the last, by due date."""
    with translation.override("sv"):
        items = [
            {"text": describe(r, today), "link": absolute(r.path), "region": r.region.name}
            for r in reminders
        ]
        context = {
            "items": items,
            "settings_link": absolute(reverse("notifications:preferences")),
            "list_link": absolute(reverse("notifications:list")),
        }
        subject = ngettext(
            "Veckosammanfattning: %(count)d påminnelse",
            "Veckosammanfattning: %(count)d påminnelser",
            len(items),
        ) % {"count": len(items)}
        return _message(user, subject, "emails/digest", context)


def _message(user: User, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    context = {**context, "user": user}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
