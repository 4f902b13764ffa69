"""The Redis cache of the tests: `clear()` removes this process's keys only."""

from __future__ import annotations

from stprogram.cache import TolerantRedisCache


class PrefixClearingRedisCache(TolerantRedisCache):
    """Each test process has its own key prefix; clearing stays inside it."""

    def clear(self) -> None:
        """Delete the keys under this process's prefix, not the shared database."""
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
