"""The Redis cache the portal uses on several nodes (CACHE_URL=redis://…)."""

import os
import re

import pytest

from ascn_portal.core.cache import RedisCache
from tests.conftest import require
from tests.nodes import redis_url_with_db

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache():
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        require("the Redis cache needs CELERY_BROKER_URL=redis://…")
    db = int(broker.rsplit("/", 1)[-1]) if re.search(r"/\d+$", broker) else 0
    cache = RedisCache(redis_url_with_db(broker, (db + 1) % 16), {"KEY_PREFIX": "cache-test"})
    yield cache
    cache.clear()


def test_values_round_trip_through_one_kept_client(redis_cache):
    redis_cache.set("agenda", {"body_html": "<ol></ol>"}, timeout=30)

    assert redis_cache.get("agenda") == {"body_html": "<ol></ol>"}
    assert redis_cache.get("missing", "default") == "default"
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)
