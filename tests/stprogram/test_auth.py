"""Logging in: e-mail and password, TOTP, rate limits, password reset, the region's IdP."""

from __future__ import annotations

import json
import time
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
