"""A new account's way in: a single-use, expiring link to set the password, re-sendable."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from regions.models import Membership
from stprogram.models import AuditEvent, Invitation, User
from tests.trainees.test_pages import _enrol_data
from trainees.models import Trainee

LINK = re.compile(r"http://testserver-site/inbjudan/([^/\s]+)/")
PASSWORD = "Ett-langt-losen-2026"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver-site"


def _enrol(world, login, django_capture_on_commit_callbacks, **changes) -> User:
    client = login(world.regional_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/blekinge/st/ny/", _enrol_data(world, **changes))
    assert response.status_code == 302
    return User.objects.get(email="ny.lakare@blekinge.test")


def _token(message) -> str:
    return LINK.search(message.body)[1]


def test_enrolment_mails_a_swedish_link_that_sets_the_password_once(
    world, login, client, django_capture_on_commit_callbacks
):
    user = _enrol(world, login, django_capture_on_commit_callbacks)
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["ny.lakare@blekinge.test"]
    assert message.subject == "Välkommen till ST-programmet"
    assert "Välj ditt lösenord här" in message.body
    assert "gäller i 7 dagar" in message.body
    token = _token(message)
    assert not Invitation.objects.filter(token_hash=token).exists()  # only its hash is stored
    client.logout()
    url = f"/inbjudan/{token}/"
    assert "Välj lösenord" in client.get(url).text
    data = {"new_password1": PASSWORD, "new_password2": PASSWORD}
    assert client.post(url, data)["Location"] == "/accounts/login/"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    again = client.post(
        url, {"new_password1": "Annat-losen-99x", "new_password2": "Annat-losen-99x"}
    )
    assert again.status_code == 404
    assert "redan använd" in again.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    actions = AuditEvent.objects.filter(action__startswith="invitation_").values_list("action")
    assert sorted(a for (a,) in actions) == ["invitation_sent", "invitation_used"]


def test_a_weak_password_gets_a_swedish_message_and_keeps_the_link(
    world, login, client, django_capture_on_commit_callbacks
):
    user = _enrol(world, login, django_capture_on_commit_callbacks)
    client.logout()
    url = f"/inbjudan/{_token(mail.outbox[0])}/"
    response = client.post(url, {"new_password1": "abc", "new_password2": "abd"})
    assert response.status_code == 200
    assert "stämmer inte överens" in response.text
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert Invitation.objects.get(user=user).used_at is None


def test_the_link_expires(world, login, client, django_capture_on_commit_callbacks):
    user = _enrol(world, login, django_capture_on_commit_callbacks)
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    response = client.get(f"/inbjudan/{_token(mail.outbox[0])}/")
    assert response.status_code == 404
    assert "gått ut" in response.text


@override_settings(STPROGRAM_INVITATION_DAYS=2)
def test_the_validity_is_a_setting(world, login, django_capture_on_commit_callbacks):
    user = _enrol(world, login, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(user=user)
    assert invitation.expires_at - invitation.sent_at < timedelta(days=2, seconds=5)
    assert "gäller i 2 dagar" in mail.outbox[0].body


def test_the_administrator_resends_and_the_old_link_stops_working(
    world, login, client, django_capture_on_commit_callbacks
):
    user = _enrol(world, login, django_capture_on_commit_callbacks)
    pk = Trainee.unscoped.get(user=user).pk
    admin = login(world.regional_admin)
    page = admin.get(f"/blekinge/st/{pk}/").text
    assert "Skicka ny inbjudan" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(f"/blekinge/st/{pk}/inbjudan/").status_code == 302
    old, new = _token(mail.outbox[0]), _token(mail.outbox[1])
    client.logout()
    assert client.get(f"/inbjudan/{old}/").status_code == 404
    assert client.get(f"/inbjudan/{new}/").status_code == 200
    sent = AuditEvent.objects.filter(action="invitation_sent", trainee_id=pk)
    assert sent.count() == 2


def test_only_the_regions_administrator_resends(
    world, elsewhere, login, django_capture_on_commit_callbacks
):
    url = f"/blekinge/st/{world.trainee.pk}/inbjudan/"
    detail = f"/blekinge/st/{world.trainee.pk}/"
    for user in (world.study_director, world.supervisor, world.regional_study_director):
        assert login(user).post(url).status_code == 403
        assert url not in login(user).get(detail).text
    assert login(elsewhere.regional_admin).post(url).status_code == 404
    assert login(world.trainee.user).post(url).status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@override_settings(OIDC_SERVER_URL="https://idp.example.org")
def test_with_the_identity_provider_the_mail_says_to_use_the_siths_card(
    world, login, django_capture_on_commit_callbacks
):
    user = _enrol(world, login, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert "SITHS-kort" in message.body
    assert "http://testserver-site/accounts/login/" in message.body
    assert not LINK.search(message.body)
    assert not Invitation.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="invitation_sent").exists()


def test_a_made_up_link_tells_nothing(client, db):
    response = client.get("/inbjudan/finns-inte/")
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.text


def test_the_administrator_has_a_button_to_enrol(world, login):
    page = login(world.regional_admin).get("/blekinge/region/").text
    assert 'href="/blekinge/st/ny/"' in page
    assert "Ny ST-läkare" in page
    assert (
        'href="/blekinge/st/ny/"'
        not in login(world.regional_study_director).get("/blekinge/region/").text
    )


def test_the_request_log_masks_the_invitations_token(db):
    import io
    import logging

    from stprogram.logfilters import MaskPersonnummerFilter

    console = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskPersonnummerFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        Client().get("/inbjudan/inbjudanHemlighet-xyz789/")
    finally:
        console.setStream(previous)
    assert "Not Found: /inbjudan/" in stream.getvalue()
    assert "inbjudanHemlighet" not in stream.getvalue()


# --- Staff accounts ---------------------------------------------------------------------------

STAFF_URL = "/blekinge/personal/ny/"


def _staff(world, **changes) -> dict[str, object]:
    data = {
        "email": "ny.handledare@blekinge.test",
        "first_name": "Nils",
        "last_name": "Nyman",
        "role": "supervisor",
        "unit": world.unit.pk,
    }
    data.update(changes)
    return data


def test_a_new_staff_member_gets_an_account_a_role_and_an_invitation(
    world, login, client, django_capture_on_commit_callbacks
):
    admin = login(world.regional_admin)
    assert 'href="/blekinge/personal/ny/"' in admin.get("/blekinge/region/").text
    assert "---------" not in admin.get(STAFF_URL).text
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(STAFF_URL, _staff(world)).status_code == 302
    user = User.objects.get(email="ny.handledare@blekinge.test")
    roles = Membership.unscoped.filter(user=user).values_list("role", "unit")
    assert list(roles) == [("supervisor", world.unit.pk)]
    (message,) = mail.outbox
    client.logout()
    assert client.get(f"/inbjudan/{_token(message)}/").status_code == 200
    assert AuditEvent.objects.filter(action="invitation_sent", region_slug="blekinge").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": ""}, "välj enheten"),
        ({"role": "regional_admin"}, "välj ingen enhet"),
        ({"role": "trainee"}, "Välj ett giltigt alternativ"),
        ({"email": "supervisor@blekinge.test"}, "Det finns redan ett konto"),
    ],
)
def test_staff_bad_input_gets_a_swedish_message_and_saves_nothing(world, login, changes, message):
    users = User.objects.count()
    response = login(world.regional_admin).post(STAFF_URL, _staff(world, **changes))
    assert response.status_code == 200
    assert message in response.text
    assert User.objects.count() == users
    assert mail.outbox == []


def test_staff_accounts_are_the_regions_administrators_alone(world, elsewhere, login):
    data = _staff(world)
    assert login(elsewhere.regional_admin).post(STAFF_URL, data).status_code == 404
    # Another region's unit is not among the choices.
    other_unit = _staff(world, unit=elsewhere.unit.pk)
    assert login(world.regional_admin).post(STAFF_URL, other_unit).status_code == 200
    for user in (world.regional_study_director, world.study_director, world.trainee.user):
        assert login(user).post(STAFF_URL, data).status_code == 403
    assert not User.objects.filter(email="ny.handledare@blekinge.test").exists()


def test_the_administrator_resends_a_staff_members_invitation(
    world, elsewhere, login, django_capture_on_commit_callbacks
):
    admin = login(world.regional_admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(STAFF_URL, _staff(world))
    user = User.objects.get(email="ny.handledare@blekinge.test")
    resend = f"/blekinge/personal/{user.pk}/inbjudan/"
    page = admin.get(STAFF_URL).text
    assert resend in page
    assert page.count(resend) == 1  # listed once, in the page, not in its <title>
    assert re.search(r"<title>\s*Ny medarbetare", page)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(resend).status_code == 302
    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(user=user, voided_at__isnull=True).count() == 1
    # Someone of another region is not this administrator's to invite.
    other = f"/blekinge/personal/{elsewhere.supervisor.pk}/inbjudan/"
    assert admin.post(other).status_code == 404
    assert login(world.study_director).post(resend).status_code == 403
    assert len(mail.outbox) == 2
