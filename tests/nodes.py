"""Processes of a deployment on several machines, started on loopback for tests: web
nodes (gunicorn), Celery workers and beats, each in a working directory of its own so
that nothing but PostgreSQL, Redis and the object store connects them.
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.celery_worker import BASE_DIR, free_port


def node_env(*, database_url, broker_url, cache_url, storage_url, home, conn_max_age=0):
    """The environment a node gets: the shared services, and a disk of its own.

    Tests keep no database connection open between requests (``conn_max_age=0``), so
    the test database can be emptied between tests; the load suite keeps them as
    production does."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_ALLOW_ASYNC", "ASCN_", "MEDIA_ROOT"))
    }
    env.update(
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE=str(conn_max_age),
        CELERY_BROKER_URL=broker_url,
        CACHE_URL=cache_url,
        STORAGE_URL=storage_url,
        ASCN_VAR_DIR=str(home / "var"),
        MEDIA_ROOT=str(home / "media"),
        # Imports the installed code, never files from a shared checkout directory.
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def redis_url_with_db(url, db):
    return re.sub(r"/\d+$", f"/{db}", url) if re.search(r"/\d+$", url) else f"{url}/{db}"


class Process:
    """A child process in its own session and working directory, logging to a file."""

    def __init__(self, *, name, argv, env, home):
        self.name = name
        self.argv = argv
        self.env = env
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_path = self.home / f"{name}.log"
        self.process = None

    def start(self):
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            self.argv,
            cwd=self.home,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if not self.alive():
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class WebNode(Process):
    """gunicorn serving the portal on a free loopback port: ``workers`` processes, each
    with ``threads`` threads (gthread) when more than one, so that one thread's wait
    for PostgreSQL or Redis leaves the process to another."""

    def __init__(self, *, name, env, home, workers=2, threads=1):
        self.port = free_port()
        self.workers, self.threads = workers, threads
        super().__init__(
            name=name,
            argv=[
                sys.executable,
                "-m",
                "gunicorn",
                "ascn_portal.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={workers}",
                *([f"--threads={threads}", "--worker-class=gthread"] if threads > 1 else []),
                "--access-logfile=-",
            ],
            env=env,
            home=home,
        )

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        super().start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):  # noqa: S310
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer /healthz within {timeout} s:\n{self.log()}")


class BeatNode(Process):
    def __init__(self, *, name, env, home):
        super().__init__(
            name=name,
            argv=[sys.executable, "-m", "celery", "-A", "ascn_portal", "beat", "--loglevel=INFO"],
            env=env,
            home=home,
        )
