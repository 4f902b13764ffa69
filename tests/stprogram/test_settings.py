"""Settings come from the environment; production values pass `check --deploy`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "stprogram.settings",
    "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
    "DJANGO_ALLOWED_HOSTS": "st.regionblekinge.se",
    "DJANGO_HTTPS": "true",
    "DATABASE_URL": "postgres://app:pw@db.internal:5432/stprogram",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_HOST": "smtp.internal",
}


def _run(args: list[str], extra_env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS"))
    }
    env.update(extra_env, STPROGRAM_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_embedded_defaults(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert result.returncode != 0


PRINT = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
    "s.CELERY_BROKER_URL, s.MAILERS['default']['BACKEND'], s.SESSION_COOKIE_SECURE]))"
)


def test_environment_alone_switches_to_postgresql_and_redis(tmp_path):
    prod = json.loads(_run(["-c", PRINT], PRODUCTION, tmp_path).stdout)
    assert prod == [
        "django.db.backends.postgresql",
        "stprogram.cache.TolerantRedisCache",
        "redis://redis.internal:6379/0",
        "django.core.mail.backends.smtp.EmailBackend",
        True,
    ]
    embedded = json.loads(
        _run(["-c", PRINT], {"DJANGO_SETTINGS_MODULE": "stprogram.settings"}, tmp_path).stdout
    )
    assert embedded == [
        "django.db.backends.sqlite3",
        "stprogram.cache.LockAwareDatabaseCache",
        "memory://",
        "django.core.mail.backends.filebased.EmailBackend",
        False,
    ]


# A production start, answered by the real middleware: the same settings as
# above with an in-memory database and plain static URLs, so cookies and
# headers can be read off actual responses.
PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from stprogram.models import User
# Static URLs without a collectstatic run; nothing else differs from production.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
User.objects.create_user(email="st@example.se", password="pw-prod-4711")
client = Client(HTTP_HOST="st.regionblekinge.se")
plain = client.get("/accounts/login/")
page = client.get("/accounts/login/", secure=True)
login = client.post(
    "/accounts/login/", {"login": "st@example.se", "password": "pw-prod-4711"}, secure=True
)
def cookie(response, name):
    morsel = response.cookies[name]
    return [bool(morsel["secure"]), bool(morsel["httponly"]), morsel["samesite"]]
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "page": page.status_code,
    "hsts": page.get("Strict-Transport-Security"),
    "csrf_cookie": cookie(page, "csrftoken"),
    "login": login.status_code,
    "session_cookie": cookie(login, "sessionid"),
    "login_hsts": login.get("Strict-Transport-Security"),
}))
"""


def test_production_responses_use_https_only_cookies_and_hsts(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = _run(["-c", PROBE], {**env, "DATABASE_URL": "sqlite://:memory:"}, tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["plain"] == [301, "https://st.regionblekinge.se/accounts/login/"]
    assert seen["page"] == 200
    hsts = "max-age=31536000; includeSubDomains; preload"
    assert seen["hsts"] == seen["login_hsts"] == hsts
    assert seen["csrf_cookie"] == [True, True, "Lax"]
    assert seen["login"] == 302
    assert seen["session_cookie"] == [True, True, "Lax"]


def test_session_limits_and_mfa_come_from_the_environment(tmp_path):
    show = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_AGE, s.STPROGRAM_SESSION_MAX_SECONDS, "
        "s.STPROGRAM_REQUIRE_MFA]))"
    )
    base = {"DJANGO_SETTINGS_MODULE": "stprogram.settings"}
    assert json.loads(_run(["-c", show], base, tmp_path).stdout) == [1800, 36000, False]
    assert json.loads(_run(["-c", show], PRODUCTION, tmp_path).stdout) == [1800, 36000, True]
    chosen = {
        **PRODUCTION,
        "STPROGRAM_SESSION_IDLE_SECONDS": "900",
        "STPROGRAM_SESSION_MAX_SECONDS": "28800",
        "STPROGRAM_REQUIRE_MFA": "false",
    }
    assert json.loads(_run(["-c", show], chosen, tmp_path).stdout) == [900, 28800, False]
