from django.urls import include, path

from meetings import coordination_views as coordination
from meetings import minutes_views, views

app_name = "meetings"

# Under /meetings/<number>/coordination/<pk>/.
coordination_session_urls = [
    path("", coordination.session_detail, name="coordination_detail"),
    path("edit/", coordination.session_edit, name="coordination_edit"),
    path("invite/", coordination.session_invite, name="coordination_invite"),
    path("cancel/", coordination.session_cancel, name="coordination_cancel"),
    path("points/new/", coordination.point_create, name="point_create"),
    path("points/<int:point>/", coordination.point_edit, name="point_edit"),
    path("points/<int:point>/move/", coordination.point_move, name="point_move"),
    path("points/<int:point>/delete/", coordination.point_delete, name="point_delete"),
    path("minutes/", minutes_views.minutes_editor, name="minutes_editor"),
    path("minutes/attendance/", minutes_views.minutes_attendance, name="minutes_attendance"),
    path("minutes/prefill/", minutes_views.minutes_prefill, name="minutes_prefill"),
    path("minutes/points/", minutes_views.minutes_points, name="minutes_points"),
    path("minutes/actions/", minutes_views.action_create, name="action_create"),
    path("minutes/approve/", minutes_views.minutes_approve, name="minutes_approve"),
    path("minutes/reopen/", minutes_views.minutes_reopen, name="minutes_reopen"),
    path("minutes/publish/", minutes_views.minutes_publish, name="minutes_publish"),
    path("minutes/correct/", minutes_views.minutes_correct, name="minutes_correct"),
    path("record/", minutes_views.minutes_published, name="minutes_published"),
    path("record/v<int:version>/", minutes_views.minutes_version, name="minutes_version"),
]

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:number>/", views.meeting_detail, name="detail"),
    path("<int:number>/edit/", views.meeting_edit, name="edit"),
    path("<int:number>/agenda/", views.agenda, name="agenda"),
    path("<int:number>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<int:number>/my-agenda/", views.my_agenda, name="my_agenda"),
    path("<int:number>/my-agenda.ics", views.my_agenda_ics, name="my_agenda_ics"),
    path("<int:number>/calendar/", views.calendar_link, name="calendar_link"),
    path(
        "calendar/<str:token>/<int:number>.ics",
        views.subscription_ics,
        name="subscription_ics",
    ),
    path(
        "calendar/<str:token>/<int:number>-mine.ics",
        views.subscription_ics,
        {"mine": True},
        name="my_subscription_ics",
    ),
    path(
        "<int:number>/agenda/sessions/<int:session_id>/",
        views.agenda_session,
        name="agenda_session",
    ),
    path("<int:number>/plan/", views.agenda_plan, name="agenda_plan"),
    path("<int:number>/plan/publish/", views.agenda_publish, name="agenda_publish"),
    path("<int:number>/plan/sessions/new/", views.session_create, name="session_create"),
    path("<int:number>/plan/sessions/<int:pk>/", views.session_edit, name="session_edit"),
    path(
        "<int:number>/plan/sessions/<int:pk>/delete/",
        views.session_delete,
        name="session_delete",
    ),
    path("<int:number>/coordination/", coordination.session_list, name="coordination_list"),
    path(
        "<int:number>/coordination/new/",
        coordination.session_create,
        name="coordination_create",
    ),
    path("<int:number>/coordination/<int:pk>/", include(coordination_session_urls)),
    path("<int:number>/actions/", minutes_views.action_board, name="action_board"),
    path("<int:number>/actions/<int:item>/", minutes_views.action_edit, name="action_edit"),
    path(
        "<int:number>/actions/<int:item>/status/",
        minutes_views.action_status,
        name="action_status",
    ),
]
