"""Django's Redis cache, keeping its redis-py client instead of building one per call.

Django's client makes a new ``redis.Redis`` for every cache operation; building one
fills a table of a few hundred response callbacks, which cost a signed-in page about as
much as the cache reads themselves (a session and the agenda's rendered list). The
client is only a handle on the connection pool, safe to share, so one per pool is kept.
"""

from typing import Any

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # private in the stubs
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
