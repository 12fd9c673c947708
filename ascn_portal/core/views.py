from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ascn_portal.core import health


@require_GET
@never_cache
def healthz(request):
    """Operators' probe: 200 when database, broker and cache answer, 503 otherwise."""
    services, healthy = health.report()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "services": services},
        status=200 if healthy else 503,
    )
