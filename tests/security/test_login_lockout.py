"""Issue 17, finding 10: an attacker's wrong passwords must not lock the owner out for good.

allauth's per-IP limit stays. The per-account limit (five failures) is lifted
by a successful password reset, which only the owner of the mailbox can do,
and the refusal tells the owner so; behind the deployment's proxy the per-IP
limit counts the client's address, not the proxy's
(STPROGRAM_TRUSTED_PROXY_COUNT).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

LOGIN = "/accounts/login/"
TOO_MANY = "för många misslyckade inloggningsförsök"


@pytest.fixture(autouse=True)
def _clear_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


def _login(client: Client, email: str, password: str, **headers: str):
    return client.post(LOGIN, {"login": email, "password": password}, **headers)


# A one-day window: a clock jump during the test must not forget the attempts.
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,5/1d/key"})
def test_the_owner_resets_the_password_and_logs_in_after_an_attackers_failures(world):
    email = world.trainee.user.email
    attacker = Client(REMOTE_ADDR="192.0.2.66")
    for _ in range(5):
        _login(attacker, email, "gissning")
    owner = Client(REMOTE_ADDR="198.51.100.7")
    refused = _login(owner, email, "pw-test-123").text.lower()
    assert TOO_MANY in refused
    assert "återställ lösenordet" in refused
    owner.post("/accounts/password/reset/", {"email": email})
    link = next(w for w in mail.outbox[-1].body.split() if "/accounts/password/reset/key/" in w)
    form = owner.get(urlparse(link).path, follow=True)
    new = "Ny-l0senfras-2026!"
    owner.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    _login(owner, email, new)
    assert owner.session["_auth_user_id"] == str(world.trainee.user.pk)
    # The attacker, still guessing, is limited again from scratch.
    assert "_auth_user_id" not in _login(attacker, email, "gissning").wsgi_request.session


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/1d/ip"}, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_per_ip_limit_is_the_clients_own(world):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="192.0.2.66")
    for _ in range(4):
        _login(attacker, world.other_trainee.user.email, "gissning")
    owner = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    _login(owner, world.trainee.user.email, "pw-test-123")
    assert owner.session["_auth_user_id"] == str(world.trainee.user.pk)


def test_the_trusted_proxy_count_comes_from_the_environment():
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={
            "DJANGO_SETTINGS_MODULE": "stprogram.settings",
            "STPROGRAM_TRUSTED_PROXY_COUNT": "1",
            "PATH": "/usr/bin:/bin",
        },
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "1"
