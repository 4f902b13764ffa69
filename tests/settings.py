"""Test settings: the real settings with fast hashing and plain static files."""

from __future__ import annotations

from stprogram.settings import *  # noqa: F403
from stprogram.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
WHITENOISE_AUTOREFRESH = True
STPROGRAM_REQUIRE_MFA = False
