from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from ascn_portal.accounts import views as account_views
from ascn_portal.core import views as core_views

# The admin signs in through the portal's own login: the same rate limits, the same
# two-factor stage, one place where a password is checked.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("dashboard/", include("ascn_portal.dashboards.urls")),
    path("accounts/", include("allauth.urls")),
    path("meetings/", include("meetings.urls")),
    path("delegations/", include("delegations.urls")),
    path("panels/", include("panels.urls")),
    path("pilots/", include("pilots.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("ascn_portal.core.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "ASCN Portal"
admin.site.site_title = "ASCN Portal"
admin.site.site_url = "/"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
