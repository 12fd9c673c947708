from django.urls import path

from ascn_portal.core import views

app_name = "core"

urlpatterns = [
    path("outbox/", views.outbox_list, name="outbox_list"),
    path("outbox/test/", views.outbox_test, name="outbox_test"),
    path("outbox/<int:pk>/", views.outbox_detail, name="outbox_detail"),
    path("outbox/<int:pk>/html/", views.outbox_html, name="outbox_html"),
    path("outbox/<int:pk>/resend/", views.outbox_resend, name="outbox_resend"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/status/", views.document_status, name="document_status"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/retry/", views.document_retry, name="document_retry"),
]
