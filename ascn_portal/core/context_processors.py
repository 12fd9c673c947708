from django.http import HttpRequest

from ascn_portal.core.sites import site_url


def portal(request: HttpRequest) -> dict[str, str]:
    """Values every page's layout needs."""
    return {"SITE_URL": site_url()}
