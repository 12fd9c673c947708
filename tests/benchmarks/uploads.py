"""The memory a large upload to the document register takes in a real web process:
gunicorn with one worker, on the test (or bench) database, files on the local disk.

Shared by the test that bounds it and by `make bench`, which prints it.
"""

import os
import re
from pathlib import Path

import requests
from django.db import connection
from django.urls import reverse

from tests.celery_worker import database_url
from tests.conftest import require
from tests.nodes import WebNode, node_env, redis_url_with_db

LOGIN_URL = "/accounts/login/"


def _status(pid: int, field: str) -> int:
    """A VmRSS / VmHWM line of /proc/<pid>/status, in kB."""
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE).group(1))


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _pdf_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that sniffs as a PDF, written in chunks."""
    head, tail = b"%PDF-1.4\n%", b"\n%%EOF\n"
    with path.open("wb") as handle:
        handle.write(head)
        left = size - len(head) - len(tail)
        block = b"0" * (1 << 20)
        while left > 0:
            handle.write(block[: min(left, len(block))])
            left -= min(left, len(block))
        handle.write(tail)
    return path


def measure_upload(meeting, *, email: str, password: str, size: int, home: Path) -> dict:
    """Log in, open the register form, reset the worker's peak memory, upload ``size``
    bytes, and return the peak's growth over the resident memory before, in MB."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if connection.vendor != "postgresql" or not broker.startswith("redis://"):
        require(
            "the upload measurement needs PostgreSQL and Redis (DATABASE_URL, CELERY_BROKER_URL)"
        )
    env = node_env(
        database_url=database_url(connection.settings_dict),
        broker_url=broker,
        cache_url=redis_url_with_db(broker, 15),
        storage_url="",
        home=home / "web",
    )
    node = WebNode(name="web", env=env, home=home / "web", workers=1)
    node.start()
    try:
        session = requests.Session()
        login = session.get(f"{node.url}{LOGIN_URL}", timeout=30)
        session.post(
            f"{node.url}{LOGIN_URL}",
            data={"login": email, "password": password, "csrfmiddlewaretoken": _csrf(login.text)},
            headers={"Referer": f"{node.url}{LOGIN_URL}"},
            timeout=30,
        )
        url = f"{node.url}{reverse('meetings:document_new', args=[meeting.number])}"
        # Twice: the first request imports and caches what the form needs.
        session.get(url, timeout=30)
        form = session.get(url, timeout=30)
        pid = _worker_pid(node.process.pid)
        # Writing 5 resets the process's peak resident memory (VmHWM) to its current.
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        before = _status(pid, "VmRSS")
        path = _pdf_file(home / "large.pdf", size)
        with path.open("rb") as handle:
            response = session.post(
                url,
                data={
                    "csrfmiddlewaretoken": _csrf(form.text),
                    "series": "DOC",
                    "title": "A large report",
                    "distribution": "public",
                    "language": "en",
                },
                files={"file": ("large.pdf", handle, "application/pdf")},
                headers={"Referer": url},
                allow_redirects=False,
                timeout=120,
            )
        peak = _status(pid, "VmHWM")
        path.unlink()
    finally:
        node.stop()
    return {
        "status": response.status_code,
        "rss_before_mb": round(before / 1024, 1),
        "growth_mb": round((peak - before) / 1024, 1),
    }
