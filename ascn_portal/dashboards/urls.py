from django.urls import path

from ascn_portal.accounts.enums import Role
from ascn_portal.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    # The role dashboards' addresses, kept so bookmarks lead home.
    *(
        path(f"{role.value.replace('_', '-')}/", views.role_dashboard, name=role.value)
        for role in Role
    ),
]
