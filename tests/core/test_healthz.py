import os

import pytest
from django.urls import reverse

from tests.conftest import require

pytestmark = pytest.mark.django_db


def test_healthz_embedded_mode_reports_database_and_eager_tasks(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "services": {"database": "ok", "broker": "embedded", "cache": "ok", "storage": "embedded"},
    }


@pytest.mark.redis
def test_healthz_reaches_real_redis_broker(client, settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker:
        require("CELERY_BROKER_URL is not set")
    settings.CELERY_BROKER_URL = broker

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["services"]["broker"] == "ok"


def test_healthz_reports_unreachable_broker_with_503(client, settings):
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "services": {"database": "ok", "broker": "error", "cache": "ok", "storage": "embedded"},
    }
