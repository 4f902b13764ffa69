"""Test settings: the real settings with fast hashing and plain static files."""

from __future__ import annotations

import uuid

from stprogram.settings import *  # noqa: F403
from stprogram.settings import CACHES, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
WHITENOISE_AUTOREFRESH = True
STPROGRAM_REQUIRE_MFA = False

if "Redis" in CACHES["default"]["BACKEND"]:
    # One Redis serves every test process and run; ids repeat across test
    # databases, so each process keeps its cached figures to itself.
    CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
    # `cache.clear()` in a test would otherwise flush the whole Redis database,
    # wiping another process's rate-limit counters in the middle of its test.
    CACHES["default"]["BACKEND"] = "tests.redis_cache.PrefixClearingRedisCache"
