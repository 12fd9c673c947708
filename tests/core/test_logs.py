import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from ascn_portal.core.logs import mask_secrets
from tests.conftest import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
TOKEN = "Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f'"GET /delegations/invitation/{TOKEN}/ HTTP/1.1" 302 0',
            '"GET /delegations/invitation/********/ HTTP/1.1" 302 0',
        ),
        (
            f"GET /meetings/calendar/{TOKEN}/7-mine.ics",
            "GET /meetings/calendar/********/7-mine.ics",
        ),
        (
            f"GET /accounts/password/reset/key/4-{TOKEN}/",
            "GET /accounts/password/reset/key/********/",
        ),
        ("GET /accounts/password/reset/key/done/", "GET /accounts/password/reset/key/done/"),
        ("GET /meetings/7/agenda/", "GET /meetings/7/agenda/"),
    ],
)
def test_mask_secrets_hides_the_token_of_each_secret_path(line, expected):
    assert mask_secrets(line) == expected


@pytest.mark.django_db
def test_django_request_log_masks_invitation_tokens(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get(reverse("delegations:invitation", args=[TOKEN]))
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /delegations/invitation/{TOKEN}/ HTTP/1.1", "410", "0"
        )

    assert "/delegations/invitation/********/" in caplog.text
    assert TOKEN not in caplog.text


def test_gunicorn_access_log_masks_tokens(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "ASCN_VAR_DIR": str(tmp_path), "DATABASE_URL": "sqlite:///:memory:"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ascn_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
            "--logger-class",
            "ascn_portal.core.logs.GunicornLogger",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/meetings/calendar/{TOKEN}/7-mine.ics"
        for _attempt in range(100):
            try:
                urllib.request.urlopen(url, timeout=5)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        for _attempt in range(50):
            if log.exists() and log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)

    text = log.read_text()
    assert "/meetings/calendar/********/7-mine.ics" in text
    assert TOKEN not in text
