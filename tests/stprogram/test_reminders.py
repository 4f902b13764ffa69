"""Deadline reminders: who hears what, when, exactly once, in e-mail and in the app."""

from __future__ import annotations

import smtplib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from inspections.models import Inspection
from regions.models import Membership, Region, Role, Unit
from stprogram.models import NotificationPreference, Reminder
from stprogram.reminders import outbox
from stprogram.reminders.services import preference_update
from supervision.models import SupervisorTraining
from tests.factories import HistoricalEventFactory, UserFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# The world's trainee starts 2025-01-13 in Blekinge: the contract is due a month later.
CONTRACT_DUE = date(2025, 2, 13)


def at(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM)


def scan(day: date, hour: int = 8) -> outbox.ScanResult:
    return outbox.scan(on=day, now=at(day, hour))


def mails_to(user) -> list:
    return [m for m in mail.outbox if user.email in m.to]


def contract_mails(user) -> list:
    return [m for m in mails_to(user) if "ST-kontrakt" in m.subject]


class FlakyBackend(EmailBackend):
    """An SMTP server that refuses the next `failures` messages."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_smtp(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.stprogram.test_reminders.FlakyBackend"}}
    FlakyBackend.failures = 0
    return FlakyBackend


def test_the_trainee_and_main_supervisor_hear_30_and_7_days_before(world):
    scan(CONTRACT_DUE - timedelta(days=30))
    for person in (world.trainee.user, world.supervisor):
        [message] = contract_mails(person)
        assert "om 30 dagar" in message.body
        assert "13 februari 2025" in message.body
    assert not contract_mails(world.study_director)

    scan(CONTRACT_DUE - timedelta(days=20))
    assert len(contract_mails(world.trainee.user)) == 1

    scan(CONTRACT_DUE - timedelta(days=7))
    assert [("om 7 dagar" in m.body) for m in contract_mails(world.trainee.user)] == [False, True]


def test_on_the_day_and_when_overdue(world):
    scan(CONTRACT_DUE)
    scan(CONTRACT_DUE + timedelta(days=7))
    bodies = [m.body for m in contract_mails(world.trainee.user)]
    assert len(bodies) == 2
    assert "i dag" in bodies[0]
    assert "Försenad" in bodies[1]


def test_the_email_is_swedish_html_and_text_links_to_the_page_and_hides_the_personnummer(world):
    world.trainee.personnummer = "199001011239"
    world.trainee.save()
    scan(CONTRACT_DUE - timedelta(days=7))
    [message] = contract_mails(world.trainee.user)
    link = f"http://127.0.0.1:8000/blekinge/st/{world.trainee.pk}/kontrakt/"
    assert message.subject.startswith("Påminnelse: ST-kontrakt")
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert 'lang="sv"' in html
    for text in (message.subject, message.body, html):
        assert "199001011239" not in text
        assert "900101" not in text


def test_a_second_scan_creates_and_sends_nothing(world):
    first = scan(CONTRACT_DUE - timedelta(days=7))
    sent = len(mail.outbox)
    second = scan(CONTRACT_DUE - timedelta(days=7), hour=9)
    assert first.created > 0
    assert first.delivery.sent == sent
    assert (second.created, second.delivery.sent, len(mail.outbox)) == (0, 0, sent)


def test_nothing_is_sent_for_a_done_obligation(world):
    HistoricalEventFactory(
        region=world.region, trainee=world.trainee, type="contract_signed", date=date(2025, 1, 20)
    )
    scan(CONTRACT_DUE - timedelta(days=7))
    assert not contract_mails(world.trainee.user)


def test_a_reminder_waiting_for_retry_is_dropped_when_the_obligation_gets_done(world, flaky_smtp):
    flaky_smtp.failures = 100
    scan(CONTRACT_DUE - timedelta(days=7))
    assert Reminder.objects.filter(code="contract", status="pending").count() == 2
    HistoricalEventFactory(
        region=world.region, trainee=world.trainee, type="contract_signed", date=date(2025, 2, 7)
    )
    flaky_smtp.failures = 0
    result = scan(CONTRACT_DUE - timedelta(days=5))
    assert result.cancelled == 2
    assert not contract_mails(world.trainee.user)


def test_smtp_failing_first_time_sends_later_exactly_once(world, flaky_smtp):
    flaky_smtp.failures = 1
    day = CONTRACT_DUE - timedelta(days=7)
    first = scan(day)
    assert first.delivery.failed == 1
    failed = Reminder.objects.get(last_error__startswith="SMTPServerDisconnected")
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert failed.notified_at is not None  # the in-app notification does not wait for SMTP

    # Too early for the retry: nothing is sent twice, nothing is lost.
    assert scan(day, hour=8).delivery.sent == 0
    later = outbox.deliver_ready(at(day, 9))
    assert later.sent == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 2)
    assert len(contract_mails(failed.user)) == 1
    assert outbox.deliver_ready(at(day, 12)).sent == 0
    assert len(contract_mails(failed.user)) == 1


def test_a_failing_smtp_server_is_retried_with_growing_intervals(world, flaky_smtp):
    flaky_smtp.failures = 100
    day = CONTRACT_DUE - timedelta(days=7)
    scan(day)
    waits = []
    now = at(day)
    for _ in range(4):
        reminder = Reminder.objects.filter(code="contract").order_by("pk").first()
        waits.append(reminder.next_attempt_at - now)
        now = reminder.next_attempt_at
        outbox.deliver_ready(now)
    assert waits == sorted(waits)
    assert waits[-1] == 4 * waits[1]
    assert Reminder.objects.filter(code="contract", status="pending").count() == 2


def test_escalation_reaches_the_study_director_once(world):
    # A *must* obligation 30 days overdue (Blekinge: escalate_after_days = 30).
    day = CONTRACT_DUE + timedelta(days=30)
    scan(day)
    scan(day + timedelta(days=1))
    scan(day + timedelta(days=2))
    escalations = contract_mails(world.study_director)
    assert len(escalations) == 1
    assert "studierektor" in escalations[0].body
    assert not contract_mails(world.regional_study_director)


def test_escalation_goes_to_the_regional_study_director_when_the_unit_has_none(world):
    other = world.other_trainee  # home unit without a study director
    scan(other.start_date + timedelta(days=365 + 30))  # must-quotas of year 1 overdue 30 days
    assert mails_to(world.regional_study_director)
    assert all("Försenad" in m.body for m in mails_to(world.regional_study_director))


def test_digest_users_get_one_digest_a_week_instead_of_individual_emails(world):
    monday = at(date(2025, 1, 13))
    preference_update(user=world.trainee.user, email_mode="digest", muted=[], now=monday)
    scan(date(2025, 1, 14))  # 30 days before the contract deadline
    scan(date(2025, 1, 15))  # nothing new
    assert not mails_to(world.trainee.user)
    assert len(contract_mails(world.supervisor)) == 1  # the supervisor kept immediate e-mail
    assert Reminder.objects.filter(user=world.trainee.user, notified_at__isnull=False).count() == 1

    next_monday = date(2025, 1, 20)
    assert outbox.send_digests(at(next_monday, 6)) == 0  # before the digest hour
    assert outbox.send_digests(at(next_monday, 7)) == 1
    assert outbox.send_digests(at(next_monday, 9)) == 0
    [digest] = mails_to(world.trainee.user)
    assert digest.subject == "Veckosammanfattning: 1 påminnelse"
    assert "ST-kontrakt" in digest.body
    # Sent on the 20th, the 30-days-before reminder says how many days remain then.
    assert "om 24 dagar" in digest.body

    scan(date(2025, 2, 6))  # 7 days before
    scan(date(2025, 2, 7))
    assert outbox.send_digests(at(date(2025, 2, 10), 7)) == 1
    assert len(mails_to(world.trainee.user)) == 2
    assert "om 3 dagar" in mails_to(world.trainee.user)[1].body


def test_leaving_the_digest_sends_what_was_waiting(world):
    preference_update(user=world.trainee.user, email_mode="digest", muted=[])
    scan(date(2025, 1, 14))
    assert not mails_to(world.trainee.user)
    preference_update(
        user=world.trainee.user, email_mode="immediate", muted=[], now=at(date(2025, 1, 15))
    )
    outbox.deliver_ready(at(date(2025, 1, 15)))
    assert len(contract_mails(world.trainee.user)) == 1


def test_a_digest_user_still_gets_escalations_at_once(world):
    preference_update(user=world.study_director, email_mode="digest", muted=[])
    scan(CONTRACT_DUE + timedelta(days=30))
    assert len(contract_mails(world.study_director)) == 1


def test_muted_categories_send_nothing_but_escalations_still_arrive(world):
    NotificationPreference.objects.create(user=world.trainee.user, muted=["programme"])
    NotificationPreference.objects.create(user=world.study_director, muted=["programme"])
    scan(CONTRACT_DUE - timedelta(days=7))
    scan(CONTRACT_DUE + timedelta(days=30))
    assert not contract_mails(world.trainee.user)
    assert not Reminder.objects.filter(user=world.trainee.user, notified_at__isnull=False).exists()
    assert len(contract_mails(world.study_director)) == 1


def test_an_old_backlog_is_not_mailed(world):
    """A deadline missed long before the scan first saw it belongs on the dashboard."""
    result = scan(CONTRACT_DUE + timedelta(days=200))
    assert not contract_mails(world.trainee.user)
    assert result.obligations > 0


def test_the_head_of_unit_and_study_director_hear_about_the_external_review(world):
    Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind="external_inspection",
        performed_on=date(2020, 3, 1),
    )
    scan(date(2025, 2, 1))  # due 2025-03-01, five years on
    for person in (world.head_of_unit, world.study_director):
        assert [m.subject for m in mails_to(person) if "Extern granskning" in m.subject]
    assert not [m for m in mails_to(world.trainee.user) if "Extern granskning" in m.subject]


def test_halland_reviews_a_new_unit_within_two_years(elsewhere):
    unit = elsewhere.unit
    Unit.unscoped.filter(pk=unit.pk).update(first_trainee_start=date(2024, 3, 1))
    scan(date(2026, 2, 20))  # 2026-03-01 is two years after the first trainee
    [message] = [m for m in mails_to(elsewhere.head_of_unit) if "Extern granskning" in m.subject]
    assert "1 mars 2026" in message.body


def test_blekinge_stins_every_two_years(world):
    Inspection.unscoped.create(
        region=world.region, unit=world.unit, kind="self_assessment", performed_on=date(2023, 5, 2)
    )
    scan(date(2025, 4, 25))
    assert [m for m in mails_to(world.head_of_unit) if "Självvärdering" in m.subject]


def test_norrbotten_supervisors_hear_when_their_training_needs_renewal(db):
    region = Region.objects.create(slug="norrbotten", name="Region Norrbotten")
    supervisor = UserFactory(email="handledare@norrbotten.test")
    Membership.unscoped.create(user=supervisor, region=region, role=Role.SUPERVISOR)
    SupervisorTraining.objects.create(
        user=supervisor, kind="supervisor_training_basic", date=date(2016, 1, 10)
    )
    scan(date(2026, 1, 3))  # 120 months later: due 2026-01-10
    [message] = mails_to(supervisor)
    assert "Handledarutbildning" in message.subject
    assert "/norrbotten/handledare/kompetens/" in message.body


def test_nothing_crosses_regions(world, elsewhere):
    scan(CONTRACT_DUE - timedelta(days=7))
    blekinge_people = {world.trainee.user.pk, world.supervisor.pk}
    halland_region = Reminder.objects.filter(region=elsewhere.region)
    assert not halland_region.filter(user_id__in=blekinge_people).exists()
    blekinge_region = Reminder.objects.filter(region=world.region)
    assert not blekinge_region.filter(user__email__endswith="@halland.test").exists()


def test_the_beat_schedule_runs_the_scan_with_expiry_and_no_arguments(settings):
    entries = {
        name: spec for name, spec in settings.CELERY_BEAT_SCHEDULE.items() if "remind" in name
    }
    assert {spec["task"] for spec in entries.values()} == {
        "stprogram.tasks.scan_reminders",
        "stprogram.tasks.deliver_reminders",
        "stprogram.tasks.send_reminder_digests",
    }
    for spec in entries.values():
        assert spec["options"]["expires"] < spec["schedule"].total_seconds()
        assert not spec.get("args")
        assert not spec.get("kwargs")


class DownBackend(EmailBackend):
    """A mail server that refuses connections."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


def test_a_mail_server_that_is_down_delays_every_reminder_and_loses_none(world, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.stprogram.test_reminders.DownBackend"}}
    day = CONTRACT_DUE - timedelta(days=7)
    assert scan(day).delivery.failed == 2
    assert not mail.outbox
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert outbox.deliver_ready(at(day, 10)).sent == 2
    assert len(contract_mails(world.trainee.user)) == 1
