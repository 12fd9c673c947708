"""Pages of coordination sessions, their minutes and action items, under
/meetings/<number>/ (namespace ``meetings``)."""

from django.urls import include, path

from meetings.coordination.views import action_items, minutes
from meetings.coordination.views import sessions as coordination

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
    path("minutes/", minutes.minutes_editor, name="minutes_editor"),
    path("minutes/save/", minutes.minutes_save, name="minutes_save"),
    # One section's own address: the same save, returning to that section.
    path(
        "minutes/attendance/",
        minutes.minutes_save,
        {"step": "attendance"},
        name="minutes_attendance",
    ),
    path("minutes/prefill/", minutes.minutes_save, {"step": "prefill"}, name="minutes_prefill"),
    path("minutes/points/", minutes.minutes_save, {"step": "points"}, name="minutes_points"),
    path("minutes/actions/", minutes.minutes_save, {"step": "action"}, name="action_create"),
    path("minutes/approve/", minutes.minutes_approve, name="minutes_approve"),
    path("minutes/reopen/", minutes.minutes_reopen, name="minutes_reopen"),
    path("minutes/publish/", minutes.minutes_publish, name="minutes_publish"),
    path("minutes/correct/", minutes.minutes_correct, name="minutes_correct"),
    path("record/", minutes.minutes_published, name="minutes_published"),
    path("record/v<int:version>/", minutes.minutes_version, name="minutes_version"),
]

urlpatterns = [
    path("<int:number>/coordination/", coordination.session_list, name="coordination_list"),
    path(
        "<int:number>/coordination/new/",
        coordination.session_create,
        name="coordination_create",
    ),
    path("<int:number>/coordination/<int:pk>/", include(coordination_session_urls)),
    path("<int:number>/actions/", action_items.action_board, name="action_board"),
    path("<int:number>/actions/<int:item>/", action_items.action_edit, name="action_edit"),
    path(
        "<int:number>/actions/<int:item>/history/",
        action_items.action_detail,
        name="action_detail",
    ),
    path(
        "<int:number>/actions/<int:item>/status/",
        action_items.action_status,
        name="action_status",
    ),
]
