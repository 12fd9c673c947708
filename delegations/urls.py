from django.urls import path

from delegations import views

app_name = "delegations"

urlpatterns = [
    path("", views.delegation_list, name="list"),
    path("<int:pk>/", views.delegation_detail, name="detail"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
]
