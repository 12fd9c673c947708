from django.urls import path

from ascn_portal.accounts.enums import Role
from ascn_portal.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    *(
        path(
            f"{role.value.replace('_', '-')}/",
            views.RoleDashboardView.as_view(role=role),
            name=role.value,
        )
        for role in Role
    ),
]
