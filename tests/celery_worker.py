"""A real Celery worker process on Redis, for tests of background work.

The worker is a separate process, so it sees only committed data: tests that use it
take ``transactional_db``. It reads the test database, the test SMTP server and a
shared media folder through the same environment variables production uses.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict):
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


class CeleryWorker:
    def __init__(self, *, env, log_dir, pool="solo", concurrency=1, cwd=BASE_DIR):
        self.env = env
        self.cwd = cwd
        self.pool = pool
        self.concurrency = concurrency
        self.log_dir = Path(log_dir)
        self.process = None
        self.kills = 0
        self.starts = 0

    def start(self, timeout=60):
        # A worker left running would take the next test's tasks from the same queue.
        self.stop()
        self.starts += 1
        name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ascn_portal",
                "worker",
                f"--pool={self.pool}",
                f"--concurrency={self.concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                "-n",
                name,
            ],
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited:\n{self.log_path.read_text()}")
            if " ready." in self.log_path.read_text():
                return
            time.sleep(0.2)
        # Never leave a worker that was too slow to start consuming behind.
        self.stop()
        raise RuntimeError(f"Celery worker not ready:\n{self.log_path.read_text()}")

    def kill(self):
        """SIGKILL: no warm shutdown, no chance to acknowledge or finish anything."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.kills += 1

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def logs(self):
        return "\n".join(p.read_text() for p in sorted(self.log_dir.glob("worker-*.log")))


def peak_rss_per_process(pid):
    """Peak resident memory (VmHWM, MiB) of a worker's main process and of each of its
    pool processes: ``{"main": …, "pool-1": …}``."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    peaks = {}
    for role, each in [("main", pid), *((f"pool-{n + 1}", c) for n, c in enumerate(children))]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[role] = round(int(line.split()[1]) / 1024, 1)
    return peaks


def wait_until(condition, *, timeout=60, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {message}")
