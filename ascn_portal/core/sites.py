"""The address people reach the portal at, for links in e-mails and calendar files.

SITE_URL names it when set (production always sets it). When it is not, the portal
follows the address it is served on: a page asked for at http://127.0.0.1:8200 writes
that address into the mails and calendar files it makes (``make run PORT=8200``). The
host comes from ``request.get_host()``, which Django checks against ALLOWED_HOSTS, so
a forged Host header cannot put another site's address into a mail. Outside a request
(a worker, a periodic task) the fallback is DEFAULT_SITE_URL, which ``make run``
points at its own port for its periodic runner.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_served_at: ContextVar[str | None] = ContextVar("ascn_served_at", default=None)


def site_url() -> str:
    """The scheme and host of the portal, without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    return _served_at.get() or settings.DEFAULT_SITE_URL


def absolute_url(path: str) -> str:
    """``path`` (from reverse() or get_absolute_url()) as an address to send out."""
    return site_url() + path


class ServedAtMiddleware:
    """Remember, for the length of a request, the address it was served on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SITE_URL:
            return self.get_response(request)
        token = _served_at.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _served_at.reset(token)
