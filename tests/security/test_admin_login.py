"""Issue 17, finding 2: the Django admin's own login skipped MFA and rate limits.

/admin/login/ now hands over to allauth's login (with `next`), so a staff
account gets an admin session only through the same password, second factor
and failed-login limits as everyone.
"""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _clear_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(world):
    user = world.no_role
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


def _admin_login(client: Client, email: str, password: str):
    return client.post(ADMIN_LOGIN, {"username": email, "password": password, "next": "/admin/"})


def test_the_password_alone_gives_no_admin_session_to_a_user_with_totp(staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    client = Client()
    response = _admin_login(client, staff.email, "pw-test-123")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    # The way in is allauth's login, which then asks for the code.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    login = client.post(response["Location"], {"login": staff.email, "password": "pw-test-123"})
    assert login["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    done = client.post(reverse("mfa_authenticate"), {"code": code})
    assert done["Location"].startswith("/admin/")
    assert client.get("/admin/").status_code == 200


# A one-day window: a clock jump during the test must not forget the attempts.
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,5/1d/key"})
def test_wrong_admin_passwords_are_rate_limited(staff):
    client = Client()
    for _ in range(6):
        response = _admin_login(client, staff.email, "fel-lösenord")
        target = response["Location"] if response.status_code == 302 else ADMIN_LOGIN
        client.post(target, {"login": staff.email, "password": "fel-lösenord"})
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": staff.email, "password": "pw-test-123"},
    )
    assert "_auth_user_id" not in client.session
    assert "för många misslyckade inloggningsförsök" in response.text.lower()
    # Nor does the admin's own form take the right password meanwhile.
    _admin_login(client, staff.email, "pw-test-123")
    assert "_auth_user_id" not in client.session


def test_a_logged_in_user_without_staff_status_is_refused(world, login):
    assert login(world.trainee.user).get(ADMIN_LOGIN).status_code == 403
