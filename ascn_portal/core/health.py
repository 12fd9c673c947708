"""Reachability of the services the portal depends on, for operators and /healthz."""

import logging

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection

logger = logging.getLogger(__name__)

OK = "ok"
EMBEDDED = "embedded"
ERROR = "error"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unreachable")
        return ERROR
    return OK


def check_broker() -> str:
    """Connect to the Celery broker once with a short timeout; no broker means eager tasks."""
    if not settings.CELERY_BROKER_URL:
        return EMBEDDED
    try:
        with current_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
    except Exception:
        logger.exception("Health check: broker unreachable")
        return ERROR
    return OK


def check_cache() -> str:
    try:
        cache.set("ascn:healthz", "1", timeout=10)
        if cache.get("ascn:healthz") != "1":
            return ERROR
    except Exception:
        logger.exception("Health check: cache unreachable")
        return ERROR
    return OK


def check_storage() -> str:
    """One request to the object store; files on the local disk need no probe."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return EMBEDDED
    try:
        storage.exists("healthz")
    except Exception:
        logger.exception("Health check: object storage unreachable")
        return ERROR
    return OK


def report() -> tuple[dict[str, str], bool]:
    """Each service's state, and whether all are usable."""
    services = {
        "database": check_database(),
        "broker": check_broker(),
        "cache": check_cache(),
        "storage": check_storage(),
    }
    return services, all(state != ERROR for state in services.values())
