"""Strict parsers for configuration taken from environment variables.

A misspelt boolean or a malformed URL stops the process at start-up with a message
naming the variable, instead of silently falling back to a default.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    """Return the variable, or the content of the file named by ``<name>_FILE``.

    The ``_FILE`` form keeps secrets out of the process environment (Docker and
    systemd credentials).
    """
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return _parse_bool(name, raw)


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def storage_from_url(url: str, *, download_seconds: int) -> dict[str, object]:
    """The ``STORAGES["default"]`` entry named by ``STORAGE_URL``.

    Empty or ``file://`` keeps files on the local disk under ``MEDIA_ROOT``.
    ``s3://KEY:SECRET@HOST:PORT/BUCKET[/PREFIX]?region=…&tls=false&public_url=…`` names
    an S3-compatible service (MinIO, Ceph, AWS: without a host, AWS's own endpoint);
    key and secret are URL-encoded, ``tls`` defaults to true, ``public_url`` is the
    endpoint browsers reach when it differs from the one the nodes use (the pre-signed
    download links are signed for it). ``download_seconds`` is how long a pre-signed
    download link stays valid.
    """
    if url in ("", "file://"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(f"STORAGE_URL must be s3://… or file://, not {parts.scheme!r}")
    bucket, _, prefix = parts.path.lstrip("/").partition("/")
    if not bucket:
        raise ImproperlyConfigured("STORAGE_URL names no bucket: s3://KEY:SECRET@HOST/BUCKET")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"region", "tls", "public_url", "addressing"}
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ImproperlyConfigured(f"STORAGE_URL: unknown parameter(s) {names}")
    tls = _parse_bool("STORAGE_URL tls", query.get("tls", "true"))
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"STORAGE_URL: {exc}") from exc
    endpoint = None
    if parts.hostname:
        endpoint = f"{'https' if tls else 'http'}://{parts.hostname}" + (f":{port}" if port else "")
    return {
        "BACKEND": "ascn_portal.core.storage.S3Storage",
        "OPTIONS": {
            "access_key": unquote(parts.username or "") or None,
            "secret_key": unquote(parts.password or "") or None,
            "bucket_name": bucket,
            "location": prefix.strip("/"),
            "endpoint_url": endpoint,
            "public_endpoint_url": query.get("public_url", "").rstrip("/") or None,
            "region_name": query.get("region") or None,
            "use_ssl": tls,
            # MinIO and most self-hosted services address buckets by path, not host name.
            "addressing_style": query.get("addressing", "path"),
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": download_seconds,
            # A render retried after a crash writes the same name again, leaving no orphan.
            "file_overwrite": True,
            "default_acl": None,
        },
    }
