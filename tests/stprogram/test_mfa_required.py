"""With STPROGRAM_REQUIRE_MFA, staff set up a second factor before any other page."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from stprogram import health
from tests.conftest import reauthenticated

SETUP = "/accounts/2fa/totp/activate/"
EXPLANATION = "Din roll kräver tvåstegsverifiering."
STAFF = [
    "supervisor",
    "study_director",
    "regional_study_director",
    "head_of_unit",
    "regional_admin",
]


@pytest.fixture(autouse=True)
def _required(settings):
    settings.STPROGRAM_REQUIRE_MFA = True


@pytest.mark.parametrize("role", STAFF)
def test_staff_without_mfa_are_sent_to_set_it_up(world, login, role):
    client = login(getattr(world, role))
    for page in ("/", "/blekinge/", "/aviseringar/", "/accounts/password/change/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == SETUP


def test_the_setup_page_explains_why_and_does_not_loop(world, login):
    client = reauthenticated(login(world.supervisor))
    page = client.get("/blekinge/handledare/", follow=True)
    assert page.redirect_chain == [(SETUP, 302)]
    assert page.status_code == 200
    assert EXPLANATION in page.text


def test_setup_asks_for_the_password_first_without_a_loop(world, login):
    client = login(world.supervisor)
    page = client.get("/", follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert EXPLANATION in page.text


def test_after_activating_totp_the_pages_answer(world, login):
    client = reauthenticated(login(world.study_director))
    client.get(SETUP)
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    activated = client.post(SETUP, {"code": code})
    assert activated.status_code == 302
    assert client.get("/blekinge/studierektor/").status_code == 200


@pytest.mark.parametrize("role", STAFF)
def test_staff_with_an_authenticator_pass(world, login, role):
    user = getattr(world, role)
    TOTP.activate(user, generate_totp_secret())
    page = login(user).get("/", follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0].startswith("/blekinge/")
    assert EXPLANATION not in page.text


def test_trainees_are_not_forced(world, login):
    assert login(world.trainee.user).get("/blekinge/min-st/").status_code == 200


def test_a_trainee_who_also_supervises_is_staff(world, login):
    from regions.models import Membership, Role

    Membership.unscoped.create(user=world.trainee.user, region=world.region, role=Role.SUPERVISOR)
    assert login(world.trainee.user).get("/blekinge/min-st/")["Location"] == SETUP


def test_nothing_is_forced_with_the_setting_off(world, login, settings):
    settings.STPROGRAM_REQUIRE_MFA = False
    assert login(world.study_director).get("/blekinge/studierektor/").status_code == 200


def test_staff_without_mfa_can_still_log_out_and_switch_language(world, login):
    client = login(world.head_of_unit)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    health.beat_record()
    assert client.get("/healthz").status_code == 200
    logout = client.post(reverse("account_logout"))
    assert logout.status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_request_gets_a_client_redirect(world, login):
    client = login(world.supervisor)
    response = client.get("/blekinge/handledare/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == SETUP


def test_django_admin_staff_without_a_role_are_forced_too(world, login):
    world.no_role.is_staff = True
    world.no_role.save()
    assert login(world.no_role).get("/admin/")["Location"] == SETUP
