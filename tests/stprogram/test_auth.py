"""Logging in: e-mail and password, TOTP, rate limits, password reset, the region's IdP."""

from __future__ import annotations

import json
import time
from datetime import date
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _clear_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


def _login(client: Client, email: str, password: str = "pw-test-123"):
    return client.post(LOGIN, {"login": email, "password": password})


def test_login_with_email_lands_on_the_role_page(world):
    client = Client()
    response = _login(client, world.trainee.user.email)
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == "/blekinge/min-st/"
    assert "Min ST" in page.text


def test_wrong_password_is_refused_in_swedish(world):
    response = _login(Client(), world.trainee.user.email, "fel-lösenord")
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    assert "lösenord" in response.text.lower()


def test_login_page_is_swedish_and_has_no_signup(db):
    page = Client().get(LOGIN)
    assert '<html lang="sv">' in page.text
    assert "Logga in" in page.text
    assert "Anmälan stängd" in Client().get("/accounts/signup/").text


def test_signup_is_closed(db):
    response = Client().post(
        "/accounts/signup/",
        {"email": "new@x.test", "password1": "Sv3rt-l0senord!", "password2": "Sv3rt-l0senord!"},
    )
    from stprogram.models import User

    assert not User.objects.filter(email="new@x.test").exists()
    assert "Anmälan stängd" in response.text


def test_login_with_totp_requires_the_code(world):
    user = world.study_director
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = Client()
    response = _login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in yet: a region page sends back to login.
    assert client.get("/blekinge/studierektor/").status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    ok = client.post(reverse("mfa_authenticate"), {"code": code})
    assert ok.status_code == 302
    assert client.get("/blekinge/studierektor/").status_code == 200


def test_recovery_code_logs_in_once(world):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = world.study_director
    TOTP.activate(user, generate_totp_secret())
    codes = RecoveryCodes.activate(user).get_unused_codes()
    client = Client()
    _login(client, user.email)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    client.logout()
    _login(client, user.email)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200


def test_failed_logins_are_limited_per_account_by_default(settings):
    rates = settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")
    assert "5/300s/key" in rates


# A one-day window: this machine's clock may jump while a test runs, and a
# jump past a five-minute window would forget the failed attempts.
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,5/1d/key"})
def test_repeated_failed_logins_are_rate_limited(world):
    user = world.trainee.user
    client = Client()
    for _ in range(5):
        _login(client, user.email, "fel")
    # Now even the right password is refused for a while.
    response = _login(client, user.email)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert "för många misslyckade inloggningsförsök" in response.text.lower()


def test_password_reset_sends_a_swedish_email(world):
    response = Client().post("/accounts/password/reset/", {"email": world.trainee.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.trainee.user.email]
    assert "lösenord" in (message.subject + message.body).lower()


OIDC_SETTINGS = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "siths",
                "name": "SITHS-kort (Inera)",
                "client_id": "stprogram",
                "secret": "hemligt",
                "settings": {"server_url": "https://idp.example.test", "oauth_pkce_enabled": True},
            }
        ]
    }
}
DISCOVERY = {
    "issuer": "https://idp.example.test",
    "authorization_endpoint": "https://idp.example.test/authorize",
    "token_endpoint": "https://idp.example.test/token",
    "userinfo_endpoint": "https://idp.example.test/userinfo",
    "jwks_uri": "https://idp.example.test/jwks",
}


def _fake_idp(email: str):
    def respond(self, method, url, *args, **kwargs):
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        body = {
            "https://idp.example.test/.well-known/openid-configuration": DISCOVERY,
            "https://idp.example.test/token": {"access_token": "at", "token_type": "Bearer"},
            "https://idp.example.test/userinfo": {
                "sub": "siths-123",
                "email": email,
                "email_verified": True,
            },
        }[url.split("?")[0]]
        response._content = json.dumps(body).encode()
        return response

    return mock.patch.object(requests.Session, "request", respond)


@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC_SETTINGS)
def test_identity_provider_login_maps_to_the_enrolled_user(world):
    client = Client()
    assert "SITHS-kort (Inera)" in client.get(LOGIN).text
    with _fake_idp(world.study_director.email):
        start = client.post("/accounts/oidc/siths/login/")
        assert start.status_code == 302
        target = urlparse(start["Location"])
        query = parse_qs(target.query)
        assert (
            f"{target.scheme}://{target.netloc}{target.path}" == DISCOVERY["authorization_endpoint"]
        )
        assert query["client_id"] == ["stprogram"]
        assert "code_challenge" in query
        done = client.get(
            "/accounts/oidc/siths/login/callback/",
            {"code": "abc", "state": query["state"][0]},
        )
    assert done.status_code == 302
    assert client.get("/blekinge/studierektor/").status_code == 200


@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC_SETTINGS)
def test_identity_provider_login_for_unknown_person_creates_no_account(world):
    from stprogram.models import User

    client = Client()
    with _fake_idp("okand@example.test"):
        start = client.post("/accounts/oidc/siths/login/")
        state = parse_qs(urlparse(start["Location"]).query)["state"][0]
        client.get("/accounts/oidc/siths/login/callback/", {"code": "abc", "state": state})
    assert not User.objects.filter(email="okand@example.test").exists()
    assert "_auth_user_id" not in client.session


def _confirmation_link(message) -> str:
    return next(w for w in message.body.split() if "/accounts/confirm-email/" in w)


def test_a_new_address_counts_only_once_confirmed_by_a_swedish_mail(world):
    from tests.conftest import reauthenticated

    user = world.trainee.user
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    reauthenticated(client).post(
        "/accounts/email/", {"action_add": "", "email": "ny.adress@blekinge.test"}
    )
    user.refresh_from_db()
    assert user.email == "trainee@blekinge.test"
    [message] = mail.outbox
    assert message.to == ["ny.adress@blekinge.test"]
    assert "Bekräfta din e-postadress" in message.subject
    assert "Om det inte var du som angav adressen" in message.body
    # Not usable for logging in until confirmed.
    assert "_auth_user_id" not in _login(Client(), "ny.adress@blekinge.test").wsgi_request.session
    confirm = urlparse(_confirmation_link(message)).path
    assert client.post(confirm).status_code == 302
    user.refresh_from_db()
    assert user.email == "ny.adress@blekinge.test"
    fresh = Client()
    _login(fresh, "ny.adress@blekinge.test")
    assert fresh.session["_auth_user_id"] == str(user.pk)


def test_an_enrolled_trainee_sets_a_password_and_logs_in_without_a_confirmation(world):
    from regions.tenancy import region_context
    from trainees.services import trainee_enrol

    with region_context(world.region):
        trainee = trainee_enrol(
            region=world.region,
            by=world.regional_admin,
            email="Ny.Lakare@blekinge.test",
            first_name="Nora",
            last_name="Ny",
            home_unit=world.unit,
            specialty=world.unit.specialty,
            regulation="HSLF-FS 2021:8",
            start_date=date(2026, 9, 1),
            bt_end=date(2027, 8, 31),
            extent_percent=100,
            credited_months=0,
            track="ordinary",
            main_supervisor=world.supervisor,
            study_director=world.study_director,
        )
    client = Client()
    client.post("/accounts/password/reset/", {"email": "ny.lakare@blekinge.test"})
    _set_password_from_mail(client, mail.outbox[-1], "Ett-nytt-l0senord!")
    mail.outbox.clear()
    _login(client, "ny.lakare@blekinge.test", "Ett-nytt-l0senord!")
    assert client.session["_auth_user_id"] == str(trainee.user_id)
    assert mail.outbox == []


def _set_password_from_mail(client: Client, message, password: str) -> None:
    link = next(w for w in message.body.split() if "/accounts/password/reset/key/" in w)
    form = client.get(urlparse(link).path, follow=True)
    done = client.post(form.redirect_chain[-1][0], {"password1": password, "password2": password})
    assert done.status_code == 302, done.content


def test_existing_accounts_get_their_enrolled_address_verified_by_the_migration(world):
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.apps import apps

    migration = import_module("stprogram.migrations.0007_verified_email_addresses")
    EmailAddress.objects.filter(user=world.supervisor).delete()
    # Went through the e-mail page before the fix: left for the owner to confirm.
    EmailAddress.objects.filter(user=world.trainee.user).update(verified=False)
    migration.forwards(apps, None)
    assert EmailAddress.objects.get(user=world.supervisor).verified
    assert not EmailAddress.objects.get(user=world.trainee.user).verified
    _login(client := Client(), world.trainee.user.email)
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].to == [world.trainee.user.email]
