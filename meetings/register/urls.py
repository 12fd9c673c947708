"""Pages of a meeting's document register, under /meetings/ (namespace ``meetings``)."""

from django.urls import path

from meetings.register import views

urlpatterns = [
    path("<int:number>/documents/", views.register, name="register"),
    path("<int:number>/documents/new/", views.document_new, name="document_new"),
    path("<int:number>/documents/report/", views.report_new, name="report_new"),
    path("<int:number>/documents/<int:pk>/", views.document_detail, name="document"),
    path(
        "<int:number>/documents/<int:pk>/files/",
        views.document_add_file,
        name="document_add_file",
    ),
    path(
        "<int:number>/documents/<int:pk>/files/<int:file_id>/",
        views.file_download,
        name="document_file",
    ),
    path("<int:number>/documents/zip/", views.bundle_request, name="bundle_request"),
    path("<int:number>/documents/zip/<int:pk>/", views.bundle_detail, name="bundle"),
    path("<int:number>/documents/zip/<int:pk>/status/", views.bundle_status, name="bundle_status"),
    path(
        "<int:number>/documents/zip/<int:pk>/download/",
        views.bundle_download,
        name="bundle_download",
    ),
]
