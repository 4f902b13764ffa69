"""Reminder e-mails: Swedish, plain text and HTML, with a link straight to the thing to do.

Only names, dates and the obligation appear; never a personnummer.
"""

from __future__ import annotations

import email.message
import email.policy
from datetime import date
from email.headerregistry import HeaderRegistry
from email.policy import EmailPolicy

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


class _HeaderClasses(HeaderRegistry):
    """The standard header registry, making each header's class once instead of per header.

    The standard one builds a new class with type() for every header it
    parses: a third of the time to build a reminder's MIME message, which is
    most of the delivery at national scale (issue 18). Same classes, same headers.
    """

    def __init__(self) -> None:
        super().__init__()
        self.made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        made = self.made.get(name.lower())
        if made is None:
            made = self.made[name.lower()] = super().__getitem__(name)
        return made


# The policies the mail backends ask for (the file and memory backends the
# default, SMTP its own), each with the registry above.
_POLICIES = {
    id(policy): policy.clone(header_factory=_HeaderClasses())
    for policy in (email.policy.default, email.policy.SMTP, email.policy.SMTPUTF8)
}


class _Email(EmailMultiAlternatives):
    """A reminder or digest e-mail whose MIME message is built with the registry above."""

    def message(self, *, policy: EmailPolicy = email.policy.default) -> email.message.Message:
        return super().message(policy=_POLICIES.get(id(policy), policy))


def _message(user: User, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    context = {**context, "user": user}
    message = _Email(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
