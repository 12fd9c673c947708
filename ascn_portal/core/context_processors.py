from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, str]:
    """Values every page's layout needs."""
    return {"SITE_URL": settings.SITE_URL}
