from django.urls import path

from pilots import views

app_name = "pilots"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("cities.csv", views.directory_csv, name="directory_csv"),
    path("cities/new/", views.city_create, name="city_create"),
    path("cities/<slug:slug>/", views.city_detail, name="city"),
    path("cities/<slug:slug>/edit/", views.city_edit, name="city_edit"),
    path("cities/<slug:slug>/projects/new/", views.project_create, name="project_create"),
    path("partnerships/", views.partnerships, name="partnerships"),
    path("partnerships.csv", views.partnerships_csv, name="partnerships_csv"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/updates/", views.progress_create, name="progress_create"),
    path("shepherd/", views.dashboard, name="dashboard"),
]
