"""In-app notifications, notification settings and the calendar feed."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from inspections.models import Inspection
from obligations.facts import evaluate_trainee
from obligations.labels import code_label
from stprogram.models import CalendarFeed, NotificationPreference, Reminder
from stprogram.reminders import outbox
from tests.factories import AssignmentFactory, TraineeFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def scan(day: date) -> None:
    outbox.scan(on=day, now=datetime(day.year, day.month, day.day, 8, tzinfo=STOCKHOLM))


@pytest.fixture
def notified(world):
    """The trainee and supervisor have their 7-days-before contract reminder."""
    scan(date(2025, 2, 6))
    return world


def test_the_bell_counts_unread_and_the_page_lists_them(notified, login):
    client = login(notified.trainee.user)
    page = client.get("/aviseringar/")
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'class="bell__count">1<', html)
    assert "ST-kontrakt – Trainee Traineeblekinge" in html
    # The page reads the deadline as of today, long after February 2025.
    assert "Försenad: skulle ha varit klart 13 februari 2025." in html
    assert f'href="/blekinge/st/{notified.trainee.pk}/kontrakt/"' in html


def test_marking_read_clears_the_bell(notified, login):
    client = login(notified.trainee.user)
    reminder = Reminder.objects.get(user=notified.trainee.user)
    response = client.post(f"/aviseringar/{reminder.pk}/last/")
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    assert "bell__count" not in client.get("/aviseringar/").content.decode()


def test_mark_all_read(notified, login):
    client = login(notified.supervisor)
    client.post("/aviseringar/alla-lasta/")
    assert not Reminder.objects.filter(user=notified.supervisor, read_at__isnull=True).exists()


def test_nobody_else_sees_or_marks_a_notification(notified, elsewhere, login):
    reminder = Reminder.objects.get(user=notified.trainee.user)
    for outsider in (notified.study_director, elsewhere.trainee.user, notified.no_role):
        client = login(outsider)
        assert client.post(f"/aviseringar/{reminder.pk}/last/").status_code == 404
        assert "ST-kontrakt – Trainee" not in client.get("/aviseringar/").content.decode()
        client.logout()
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_anonymous_visitors_are_sent_to_login(client, notified):
    for url in ("/aviseringar/", "/aviseringar/installningar/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client.post("/aviseringar/kalender/").status_code == 302
    assert not CalendarFeed.objects.exists()


def test_the_list_costs_the_same_queries_with_more_notifications(world, login):
    client = login(world.supervisor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/aviseringar/").status_code == 200
        return len(captured)

    scan(date(2025, 2, 6))
    few = queries()
    for index in range(20):
        trainee = TraineeFactory(home_unit=world.unit, user__email=f"more{index}@blekinge.test")
        AssignmentFactory(trainee=trainee, user=world.supervisor, role="main_supervisor")
    scan(date(2025, 2, 7))
    assert Reminder.objects.filter(user=world.supervisor).count() > 20
    assert queries() == few


def test_preferences_are_saved(world, login):
    client = login(world.trainee.user)
    response = client.post(
        "/aviseringar/installningar/",
        {"email_mode": "digest", "enabled": ["follow_up", "rotations"]},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.trainee.user)
    assert preference.email_mode == "digest"
    assert preference.muted == ["inspections", "programme", "supervisor_training"]
    page = client.get("/aviseringar/installningar/").content.decode()
    assert re.search(r'<input[^>]*value="digest"[^>]*checked', page)


def test_bad_preferences_get_a_swedish_message_and_nothing_is_saved(world, login):
    client = login(world.trainee.user)
    response = client.post(
        "/aviseringar/installningar/", {"email_mode": "<script>", "enabled": ["escalation"]}
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def _feed_url(client) -> str:
    page = client.post("/aviseringar/kalender/", {"action": "create"}).content.decode()
    return re.search(r'value="http://127\.0\.0\.1:8000(/kalender/[^"]+\.ics)"', page).group(1)


def test_the_calendar_feed_holds_exactly_the_users_open_obligations(world, login, client):
    url = _feed_url(login(world.trainee.user))
    client.logout()  # calendar programs fetch the feed without a session
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")

    today = timezone.localdate()
    expected = [
        o
        for o in evaluate_trainee(world.trainee, today).obligations
        if o.subject == "trainee" and o.status in ("open", "overdue") and o.due
    ]
    assert expected, "the world trainee must have open obligations for this test to mean anything"
    got = sorted((e.decoded("dtstart"), str(e.get("summary"))) for e in events)
    want = sorted(
        (
            o.due,
            ("Försenad: " if o.status == "overdue" else "")
            + f"{code_label(o.code)} – Trainee Traineeblekinge",
        )
        for o in expected
    )
    assert got == want


def test_the_head_of_unit_feed_has_the_units_reviews_and_only_their_own_trainee_duty(
    world, login, client
):
    """Blekinge §3.4: the yearly development talk is the head of unit's; nothing else is."""
    today = timezone.localdate()
    Inspection.unscoped.create(
        region=world.region,
        unit=world.unit,
        kind="external_inspection",
        performed_on=today - relativedelta(years=5) + timedelta(days=40),
    )
    url = _feed_url(login(world.head_of_unit))
    events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    summaries = [str(e.get("summary")) for e in events]
    assert f"Extern granskning (SPUR) – {world.unit.name}" in summaries
    trainee_items = [s for s in summaries if "Trainee" in s]
    assert trainee_items
    assert trainee_items
    duty = "Utvecklingssamtal med verksamhetschef – "
    assert all(s.removeprefix("Försenad: ").startswith(duty) for s in trainee_items)


def test_a_new_address_replaces_the_old_and_revoking_gives_404(world, login, client):
    user_client = login(world.trainee.user)
    first = _feed_url(user_client)
    second = _feed_url(user_client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    user_client.post("/aviseringar/kalender/", {"action": "revoke"})
    assert client.get(second).status_code == 404
    assert client.get("/kalender/gissning.ics").status_code == 404
