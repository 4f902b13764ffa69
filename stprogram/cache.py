"""The shared cache: Redis in production, the database in the embedded default.

Redis as the shared cache, where an outage means cache misses, not failing pages.

A page must answer while Redis is down (reminders wait in the database, see
stprogram.reminders.outbox). After one failure the process stops trying for a
short while, so a Redis that hangs costs one timeout, not one per cache call.
Rate limits that live in the cache are not enforced during an outage: a
login page that answers is the lesser risk than one that locks everyone out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 30.0
# SQLite's own words for a write that waited its timeout for another writer.
DATABASE_LOCKED = "database is locked"


class TolerantRedisCache(RedisCache):
    _down_until = 0.0

    def _guard[T](self, default: T, call: Callable[[], T]) -> T:
        if time.monotonic() < TolerantRedisCache._down_until:
            return default
        try:
            return call()
        except RedisError as exc:
            TolerantRedisCache._down_until = time.monotonic() + RETRY_AFTER
            logger.warning(
                "Redis cache unavailable (%s); continuing without it.", type(exc).__name__
            )
            return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(
            default, lambda: super(TolerantRedisCache, self).get(key, default, version)
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._guard(None, lambda: super(TolerantRedisCache, self).set(key, value, timeout, version))

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        # As if the key were missing: a lock (allauth's rate limits) is granted.
        return self._guard(
            True, lambda: super(TolerantRedisCache, self).add(key, value, timeout, version)
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(False, lambda: super(TolerantRedisCache, self).delete(key, version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(
            False, lambda: super(TolerantRedisCache, self).touch(key, timeout, version)
        )

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(False, lambda: super(TolerantRedisCache, self).has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._guard(delta, lambda: super(TolerantRedisCache, self).incr(key, delta, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guard({}, lambda: super(TolerantRedisCache, self).get_many(keys, version))

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._guard(
            [], lambda: super(TolerantRedisCache, self).set_many(data, timeout, version)
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guard(None, lambda: super(TolerantRedisCache, self).delete_many(keys, version))

    def clear(self) -> None:
        self._guard(None, lambda: super(TolerantRedisCache, self).clear())


class LockAwareDatabaseCache(DatabaseCache):
    """The database cache, where a write the database refused is an error, not "taken".

    Django's database cache answers a failed write with False, which for
    `add()` means "the key exists". allauth's rate limits take a lock with
    `add()`, so a locked SQLite file turned every login into "too many
    attempts". Here a refused `add()` of a key that is not there raises the
    database's error, and the page says to try again shortly (stprogram.views.
    database_busy).
    """

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        if super().add(key, value, timeout, version):
            return True
        if self.has_key(key, version):
            return False
        raise OperationalError(DATABASE_LOCKED)
