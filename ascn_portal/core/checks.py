"""Configuration mistakes surfaced as system checks (``manage.py check [--deploy]``)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register(deploy=True)
def check_production_services(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(
            Warning(
                "Production runs on SQLite.",
                hint="Set DATABASE_URL=postgres://…",
                id="ascn.W001",
            )
        )
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        problems.append(
            Warning(
                "The cache is per process, so login rate limits are not shared by workers.",
                hint="Set CACHE_URL=redis://…",
                id="ascn.W002",
            )
        )
    if not settings.CELERY_BROKER_URL:
        problems.append(
            Warning(
                "No Celery broker: e-mails and PDFs are produced inside web requests.",
                hint="Set CELERY_BROKER_URL=redis://…",
                id="ascn.W003",
            )
        )
    if not settings.SECURE:
        problems.append(
            Warning(
                "SITE_URL is not https, so cookies are not marked secure.",
                hint="Set SITE_URL=https://…",
                id="ascn.W004",
            )
        )
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        problems.append(
            Warning(
                "E-mail is written to files instead of being sent.",
                hint="Set EMAIL_HOST and the other EMAIL_* variables.",
                id="ascn.W005",
            )
        )
    return problems


@register()
def check_site_url(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SITE_URL and not settings.SITE_URL.startswith(("http://", "https://")):
        return [
            Error(
                "SITE_URL must start with http:// or https://.",
                hint="For example SITE_URL=https://ascn.example.org",
                id="ascn.E001",
            )
        ]
    return []
