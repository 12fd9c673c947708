"""Pages of a meeting and its agenda, under /meetings/ (namespace ``meetings``)."""

from django.urls import path

from meetings.agenda import views

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:number>/", views.meeting_detail, name="detail"),
    path("<int:number>/edit/", views.meeting_edit, name="edit"),
    path("<int:number>/agenda/", views.agenda, name="agenda"),
    path("<int:number>/agenda/grid/", views.agenda_grid, name="agenda_grid"),
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
    path(
        "<int:number>/agenda/versions/<int:version>/changes/",
        views.agenda_changes,
        name="agenda_changes",
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
]
