"""Settings come from the environment; production values pass `check --deploy`."""

from __future__ import annotations

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
    import json

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
        "django.core.cache.backends.db.DatabaseCache",
        "memory://",
        "django.core.mail.backends.filebased.EmailBackend",
        False,
    ]
