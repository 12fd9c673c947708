import asyncio
import email
import logging
import os
from datetime import UTC, datetime, time
from email import policy

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation

from tests.celery_worker import free_port
from tests.factories import UserFactory

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)

# Under CI (ASCN_REQUIRE_SERVICES=true) a test that needs PostgreSQL, Redis or Chromium
# fails when the service is missing, instead of skipping silently.
REQUIRE_SERVICES = os.environ.get("ASCN_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def require(reason):
    """Skip a test whose service is missing, or fail it when services are required."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (ASCN_REQUIRE_SERVICES is on)", pytrace=False)
    pytest.skip(reason)


def pytest_configure(config):
    if not REQUIRE_SERVICES:
        return
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise pytest.UsageError("ASCN_REQUIRE_SERVICES needs DATABASE_URL=postgres://…")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        raise pytest.UsageError("ASCN_REQUIRE_SERVICES needs CELERY_BROKER_URL=redis://…")


# ASCN_TEST_CLOCK=HH:MM (UTC) starts every test marked date_sensitive at that time of
# today, its clock running on: `make test-dates` uses 23:30, when the ASEAN day is
# already tomorrow's, and 16:30, half an hour before midnight in UTC+7 and after it
# in UTC+8.
TEST_CLOCK = os.environ.get("ASCN_TEST_CLOCK", "")


@pytest.fixture(autouse=True)
def _clock_at_the_edge(request):
    if not TEST_CLOCK or request.node.get_closest_marker("date_sensitive") is None:
        yield
        return
    at = datetime.combine(datetime.now(UTC).date(), time.fromisoformat(TEST_CLOCK), tzinfo=UTC)
    with time_machine.travel(at, tick=True):
        yield


@pytest.fixture(autouse=True)
def _isolated(settings):
    # A cheap hasher keeps login-heavy tests fast; rate-limit counters start at zero.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    # A request as an Indonesian-speaking person leaves Bahasa Indonesia active in this
    # thread; each test starts (and ends) in the default language.
    translation.deactivate()
    yield
    translation.deactivate()
    cache.clear()


class Inbox:
    """An SMTP server on loopback (aiosmtpd) and the messages it received, parsed.

    ``reject_recipients`` maps an address to the reply its RCPT gets; ``data_reply``
    replaces the reply to DATA (say "451 4.3.0 Try again later").
    """

    def __init__(self, port=None):
        self.port = port or free_port()
        self.messages = []
        self.reject_recipients = {}
        self.data_reply = None
        self.delay = 0  # seconds each DATA takes, to slow a batch down
        self._controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self):
        self.messages.clear()
        self.reject_recipients.clear()
        self.data_reply = None
        self.delay = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject_recipients:
            return self.reject_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def body(self, message):
        return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")

    def message_ids(self):
        return [message["Message-ID"] for message in self.messages]


def point_email_at(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, with Django's SMTP backend pointed at it."""
    inbox = Inbox()
    inbox.start()
    point_email_at(settings, inbox.port)
    try:
        yield inbox
    finally:
        inbox.stop()


@pytest.fixture(autouse=True)
def _eager_tasks():
    """Run tasks in-process, as the embedded mode does; the worker fixture turns it off."""
    from ascn_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Object storage -------------------------------------------------------------------


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3 server on loopback, for the whole session."""
    from tests.s3_server import S3Server

    try:
        import moto.server  # noqa: F401
    except ImportError:
        require("the object storage tests need moto[server] (the dev dependencies)")
    server = S3Server(log_dir=tmp_path_factory.mktemp("s3"))
    server.start()
    yield server
    server.stop()


class Bucket:
    def __init__(self, server, name, url):
        self.server = server
        self.name = name
        self.url = url

    def keys(self):
        return self.server.keys(self.name)


@pytest.fixture
def s3_storage(settings, s3_server):
    """Stored files go to a fresh bucket of the S3 server, as with STORAGE_URL=s3://…"""
    from ascn_portal.env import storage_from_url

    name, url = s3_server.new_bucket()
    settings.STORAGE_URL = url
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(url, download_seconds=settings.ASCN_DOWNLOAD_URL_SECONDS),
    }
    return Bucket(s3_server, name, url)


@pytest.fixture(params=["local", "s3"])
def document_storage(request):
    """Each test that uses it runs twice: files on the local disk, then in object storage."""
    if request.param == "s3":
        return request.getfixturevalue("s3_storage")
    return None


@pytest.fixture
def user_factory(db):
    return UserFactory


# --- A real worker ----------------------------------------------------------------------

# Settings the worker process runs with in tests: quick retries and a short claim timeout,
# so outages and crashes resolve in seconds. The test process uses the same values.
WORKER_MAIL_SETTINGS = {
    "ASCN_MAIL_RETRY_BACKOFF": 1,
    "ASCN_MAIL_RETRY_BACKOFF_MAX": 2,
    "ASCN_MAIL_MAX_ATTEMPTS": 3,
    "ASCN_MAIL_SENDING_TIMEOUT": 3,
    "ASCN_MAIL_QUEUED_GRACE": 2,
    "ASCN_MAIL_BATCH_SIZE": 20,
    # Documents whose storage was down are tried again within seconds too.
    "ASCN_DOCUMENT_RETRY_BACKOFF": 1,
    # A render whose worker was killed is taken back within seconds, not a minute.
    "ASCN_DOCUMENT_CLAIM_TIMEOUT": 2,
}


@pytest.fixture(scope="session")
def worker_smtp():
    """One SMTP server for the whole session: the worker's settings point at its port."""
    inbox = Inbox()
    inbox.start()
    yield inbox
    inbox.stop()


@pytest.fixture
def celery_worker(transactional_db, worker_smtp, settings, tmp_path):
    """A real Celery worker on the Redis of CELERY_BROKER_URL, reading the test database."""
    from django.db import connection

    from ascn_portal.celery import app
    from tests.celery_worker import CeleryWorker, database_url

    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        require("a real worker needs CELERY_BROKER_URL=redis://…")
    if connection.vendor != "postgresql":
        require("a real worker needs the test database on PostgreSQL (DATABASE_URL)")

    for name, value in WORKER_MAIL_SETTINGS.items():
        setattr(settings, name, value)
    point_email_at(settings, worker_smtp.port)
    worker_smtp.clear()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_ALLOW_ASYNC"))
    }
    env.update({name: str(value) for name, value in WORKER_MAIL_SETTINGS.items()})
    env.update(
        DATABASE_URL=database_url(connection.settings_dict),
        DATABASE_CONN_MAX_AGE="0",
        CELERY_BROKER_URL=broker,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(worker_smtp.port),
        EMAIL_TIMEOUT="5",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        STORAGE_URL=settings.STORAGE_URL,
        ASCN_VAR_DIR=str(tmp_path / "worker-var"),
    )

    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    app.control.purge()
    worker = CeleryWorker(env=env, log_dir=tmp_path)
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        app.control.purge()
