from django.urls import path

from panels import slide_views, views

app_name = "panels"

urlpatterns = [
    path("meeting/<int:number>/", views.panel_list, name="list"),
    path("meeting/<int:number>/conference/", views.conference_edit, name="conference_edit"),
    path("meeting/<int:number>/new/", views.panel_create, name="create"),
    path("<int:pk>/", views.panel_detail, name="detail"),
    path("<int:pk>/edit/", views.panel_edit, name="edit"),
    path("<int:pk>/speakers/", views.speakers, name="speakers"),
    path("<int:pk>/speakers/<int:speaker>/remove/", views.speaker_remove, name="speaker_remove"),
    path("<int:pk>/slides/due/", slide_views.slides_due, name="slides_due"),
    path("<int:pk>/speakers/<int:speaker>/slides/", slide_views.speaker_slides, name="slides"),
    path("<int:pk>/points/", views.points, name="points"),
    path("<int:pk>/points/confirm/", views.speaker_confirm, name="speaker_confirm"),
    path("<int:pk>/brief/", views.composer, name="composer"),
    path("<int:pk>/outcome/", views.outcome_note, name="outcome_note"),
    path("<int:pk>/brief/lock/", views.brief_lock, name="brief_lock"),
    path("<int:pk>/brief/versions/", views.brief_version, name="brief_version"),
    path("<int:pk>/brief/versions/<int:number>/share/", views.brief_share, name="brief_share"),
]
