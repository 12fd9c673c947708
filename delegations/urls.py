from django.urls import path

from delegations.views import bulk, logistics, participants, registration, roster, setup

app_name = "delegations"

urlpatterns = [
    path("", roster.delegation_list, name="list"),
    path("participants/", roster.participant_list, name="participants"),
    path(
        "participants/<int:number>/list.pdf",
        roster.participant_list_pdf,
        name="participant_list_pdf",
    ),
    path("meeting/<int:number>/", setup.setup, name="setup"),
    path(
        "meeting/<int:number>/member-states/",
        setup.create_member_states,
        name="setup_member_states",
    ),
    path("meeting/<int:number>/add/", setup.add, name="setup_add"),
    path("meeting/<int:number>/logistics/", logistics.logistics, name="logistics"),
    path("meeting/<int:number>/bulk/", bulk.bulk, name="bulk"),
    path("meeting/<int:number>/bulk/invite/", bulk.bulk_invite, name="bulk_invite"),
    path("meeting/<int:number>/bulk/remind/", bulk.bulk_remind, name="bulk_remind"),
    path("jobs/<int:pk>/", bulk.job, name="job"),
    path("jobs/<int:pk>/status/", bulk.job_status, name="job_status"),
    path("meeting/<int:number>/logistics.csv", logistics.logistics_csv, name="logistics_csv"),
    path("meeting/<int:number>/logistics.pdf", logistics.logistics_pdf, name="logistics_pdf"),
    path("<int:pk>/settings/", setup.edit, name="setup_edit"),
    path("<int:pk>/representative/", setup.representative, name="setup_representative"),
    path(
        "representative/<str:token>/",
        setup.representative_invitation,
        name="representative_invitation",
    ),
    path("<int:pk>/", roster.delegation_detail, name="detail"),
    path("<int:pk>/nominate/", roster.nominate, name="nominate"),
    path("<int:pk>/upload/", roster.roster_upload, name="roster_upload"),
    path("<int:pk>/roster-template.csv", roster.roster_template, name="roster_template"),
    path("<int:pk>/roster.csv", roster.roster_export, name="roster_export"),
    path("<int:pk>/invite/", participants.invite_all, name="invite_all"),
    path("<int:pk>/approve/", roster.roster_approve, name="roster_approve"),
    path("<int:pk>/confirm/", roster.roster_confirm, name="roster_confirm"),
    path("<int:pk>/return/", roster.roster_return, name="roster_return"),
    path("participant/<int:pk>/", participants.participant_detail, name="participant"),
    path(
        "participant/<int:pk>/invite/", participants.participant_invite, name="participant_invite"
    ),
    path(
        "participant/<int:pk>/revoke/", participants.participant_revoke, name="participant_revoke"
    ),
    path(
        "participant/<int:pk>/confirm/",
        participants.participant_confirm_late,
        name="participant_confirm_late",
    ),
    path(
        "participant/<int:pk>/cancel/", participants.participant_cancel, name="participant_cancel"
    ),
    path(
        "participant/<int:pk>/substitute/",
        participants.participant_substitute,
        name="participant_substitute",
    ),
    path("invitation/<str:token>/", registration.invitation, name="invitation"),
    path("registration/<int:pk>/", registration.registration, name="registration"),
    path("registration/<int:pk>/decline/", registration.decline, name="decline"),
]
