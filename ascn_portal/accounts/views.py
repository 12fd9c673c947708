from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ascn_portal.accounts import services


@require_POST
def set_language(request):
    """Django's language switcher, which also saves the choice on a signed-in account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.save_language(request.user, language=language)
    return response
