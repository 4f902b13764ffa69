"""Redis as the shared cache, where an outage means cache misses, not failing pages.

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
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 30.0


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
