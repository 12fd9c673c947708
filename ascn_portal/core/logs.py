"""Logs without secrets: the tokens in link paths are masked before a line is written.

Invitation links, calendar subscription addresses, password reset and e-mail
confirmation keys carry their secret in the URL path, and access logs keep paths for
months. ``mask_secrets`` is the one place that knows those paths; the logging filter
(Django's request and development-server logs) and the gunicorn logger class (its
access log) both call it.
"""

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as _GunicornLogger

MASK = "********"
_NOT_SECRETS = {"done"}
_SECRET_PATHS = re.compile(
    r"(?P<prefix>/(?:delegations/invitation|meetings/calendar|accounts/confirm-email"
    r"|accounts/password/reset/key)/)(?P<token>[^/?#\s\"]+)"
)


def mask_secrets(text: str) -> str:
    """``text`` with the secret segment of every secret-bearing path replaced."""
    return _SECRET_PATHS.sub(_mask_match, text)


def _mask_match(match: re.Match[str]) -> str:
    # ".../password/reset/key/done/" is the page after a reset, not a key.
    value = match["token"]
    return match["prefix"] + (value if value in _NOT_SECRETS else MASK)


class MaskSecretsFilter(logging.Filter):
    """Rewrites a record's message with its secrets masked (for django.server and
    django.request, which log request paths)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class GunicornLogger(_GunicornLogger):
    """Gunicorn's logger with secrets masked in the access log's request line, path,
    query and referrer (``--logger-class ascn_portal.core.logs.GunicornLogger``)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f", "{referer}i"):
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_secrets(atoms[key])
        return atoms
