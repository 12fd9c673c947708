from django.urls import path

from delegations import bulk_views, logistics_views, setup_views, views

app_name = "delegations"

urlpatterns = [
    path("", views.delegation_list, name="list"),
    path("participants/", views.participant_list, name="participants"),
    path(
        "participants/<int:number>/list.pdf",
        views.participant_list_pdf,
        name="participant_list_pdf",
    ),
    path("meeting/<int:number>/", setup_views.setup, name="setup"),
    path(
        "meeting/<int:number>/member-states/",
        setup_views.create_member_states,
        name="setup_member_states",
    ),
    path("meeting/<int:number>/add/", setup_views.add, name="setup_add"),
    path("meeting/<int:number>/logistics/", logistics_views.logistics, name="logistics"),
    path("meeting/<int:number>/bulk/", bulk_views.bulk, name="bulk"),
    path("meeting/<int:number>/bulk/invite/", bulk_views.bulk_invite, name="bulk_invite"),
    path("meeting/<int:number>/bulk/remind/", bulk_views.bulk_remind, name="bulk_remind"),
    path("jobs/<int:pk>/", bulk_views.job, name="job"),
    path("jobs/<int:pk>/status/", bulk_views.job_status, name="job_status"),
    path("meeting/<int:number>/logistics.csv", logistics_views.logistics_csv, name="logistics_csv"),
    path("meeting/<int:number>/logistics.pdf", logistics_views.logistics_pdf, name="logistics_pdf"),
    path("<int:pk>/settings/", setup_views.edit, name="setup_edit"),
    path("<int:pk>/representative/", setup_views.representative, name="setup_representative"),
    path(
        "representative/<str:token>/",
        setup_views.representative_invitation,
        name="representative_invitation",
    ),
    path("<int:pk>/", views.delegation_detail, name="detail"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/upload/", views.roster_upload, name="roster_upload"),
    path("<int:pk>/roster-template.csv", views.roster_template, name="roster_template"),
    path("<int:pk>/roster.csv", views.roster_export, name="roster_export"),
    path("<int:pk>/invite/", views.invite_all, name="invite_all"),
    path("<int:pk>/approve/", views.roster_approve, name="roster_approve"),
    path("<int:pk>/confirm/", views.roster_confirm, name="roster_confirm"),
    path("<int:pk>/return/", views.roster_return, name="roster_return"),
    path("participant/<int:pk>/", views.participant_detail, name="participant"),
    path("participant/<int:pk>/invite/", views.participant_invite, name="participant_invite"),
    path("participant/<int:pk>/revoke/", views.participant_revoke, name="participant_revoke"),
    path(
        "participant/<int:pk>/confirm/",
        views.participant_confirm_late,
        name="participant_confirm_late",
    ),
    path("participant/<int:pk>/cancel/", views.participant_cancel, name="participant_cancel"),
    path(
        "participant/<int:pk>/substitute/",
        views.participant_substitute,
        name="participant_substitute",
    ),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("registration/<int:pk>/", views.registration, name="registration"),
    path("registration/<int:pk>/decline/", views.decline, name="decline"),
]
