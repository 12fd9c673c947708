import email
import os
import socket
from email import policy

import pytest
from django.core.cache import cache

from tests.factories import UserFactory

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


@pytest.fixture(autouse=True)
def _isolated(settings):
    # A cheap hasher keeps login-heavy tests fast; rate-limit counters start at zero.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Messages received by the loopback SMTP server, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def body(self, message):
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, with Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def user_factory(db):
    return UserFactory
