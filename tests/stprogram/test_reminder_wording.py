""" "Ska vara klart om N dagar" counts from the day the mail is sent, whatever step sent it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from stprogram.models import Reminder
from stprogram.reminders import outbox
from tests.stprogram.test_reminders import CONTRACT_DUE, FlakyBackend, at, contract_mails, scan

# Blekinge's steps: 30 and 7 days before, on the day, 7 days after; escalation after 30.
ON_TIME = [
    ("before-30", -30, "Ska vara klart om 30 dagar, 13 februari 2025."),
    ("before-7", -7, "Ska vara klart om 7 dagar, 13 februari 2025."),
    ("on-day", 0, "Ska vara klart i dag, 13 februari 2025."),
    ("after-7", 7, "Försenad: skulle ha varit klart 13 februari 2025."),
]


@pytest.mark.parametrize(("step", "offset", "sentence"), ON_TIME)
def test_each_step_sent_on_its_day_says_how_many_days_remain(world, step, offset, sentence):
    scan(CONTRACT_DUE + timedelta(days=offset))
    [message] = contract_mails(world.trainee.user)
    assert Reminder.objects.get(user=world.trainee.user).step == step
    assert sentence in message.body
    assert sentence in message.alternatives[0][0]


@pytest.mark.parametrize(
    ("step", "first_seen", "sentence"),
    [
        # The scanner was down: each step is first seen (and sent) some days late.
        ("before-30", -26, "Ska vara klart om 26 dagar"),
        ("before-7", -1, "Ska vara klart om 1 dag,"),
        ("on-day", 3, "Försenad: skulle ha varit klart 13 februari 2025."),
        ("after-7", 20, "Försenad: skulle ha varit klart 13 februari 2025."),
    ],
)
def test_a_step_first_seen_late_counts_from_the_day_it_is_sent(world, step, first_seen, sentence):
    scan(CONTRACT_DUE + timedelta(days=first_seen))
    [message] = contract_mails(world.trainee.user)
    assert Reminder.objects.get(user=world.trainee.user).step == step
    assert sentence in message.body
    assert "om 30 dagar" not in message.body
    assert "om 7 dagar" not in message.body


@pytest.mark.parametrize(
    ("step", "delay", "sentence"),
    [
        ("before-30", 5, "Ska vara klart om 25 dagar"),
        ("before-7", 7, "Ska vara klart i dag"),
        ("before-7", 9, "Försenad: skulle ha varit klart"),
    ],
)
def test_a_step_sent_late_after_a_mail_outage(world, settings, step, delay, sentence):
    settings.MAILERS = {"default": {"BACKEND": "tests.stprogram.test_reminders.FlakyBackend"}}
    offset = -int(step.removeprefix("before-"))
    day = CONTRACT_DUE + timedelta(days=offset)
    FlakyBackend.failures = 10**6
    scan(day)
    assert not mail.outbox
    FlakyBackend.failures = 0
    outbox.deliver_ready(at(day + timedelta(days=delay)))
    [message] = contract_mails(world.trainee.user)
    assert sentence in message.body
