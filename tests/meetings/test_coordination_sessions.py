from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from icalendar import Calendar

from ascn_portal.core.models import AuditEntry, OutgoingMail
from meetings.coordination.services import sessions as coordination
from meetings.models import AgendaPoint, CoordinationSession, Minutes, SentInvitation
from tests.factories.coordination import (
    AgendaPointFactory,
    CoordinationSessionFactory,
    OrganisationFactory,
    home_affairs,
)

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def form_data(session=None, **overrides):
    """What the session form posts, for ``session`` or a new in-person session."""
    data = {
        "title": session.title if session else "Online coordination: Panel 3 speakers",
        "purpose": session.purpose if session else "The speakers' substance for Panel 3.",
        "starts": "2024-06-24T09:00",
        "ends": "2024-06-26T16:00",
        "time_zone": "Asia/Jakarta",
        "mode": "in_person",
        "place": "Ministry of Home Affairs, Jakarta",
        "video_link": "",
        "convening_organisation": str(home_affairs().pk),
        "chair": str(session.chair_id) if session and session.chair_id else "",
        "invited_people": [str(p.pk) for p in session.invited_people.all()] if session else [],
        "guests-TOTAL_FORMS": "1",
        "guests-INITIAL_FORMS": "0",
        "guests-0-name": "",
        "guests-0-email": "",
        "guests-0-language": "en",
    }
    data.update(overrides)
    return data


def invitations(inbox):
    """``{address: (message, VEVENT, METHOD)}`` of the .ics attachments received."""
    found = {}
    for message in inbox.messages:
        [attachment] = list(message.iter_attachments())
        calendar = Calendar.from_ical(attachment.get_content())
        [event] = calendar.walk("VEVENT")
        found[message["To"]] = (message, event, str(calendar["METHOD"]), attachment)
    return found


@pytest.fixture
def invited(
    coordination_session,
    attendee,
    chair,
    secretariat,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    coordination_session.guests.create(
        name="Priya Raman", email="priya.raman@unescap.example", language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        coordination.send_invitations(coordination_session, actor=secretariat)
    return coordination_session


# --- Creating and editing -------------------------------------------------------------------


def test_secretariat_creates_a_session_with_its_minutes(client, meeting, secretariat, chair):
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:coordination_create", args=[meeting.number]),
        form_data(chair=str(chair.pk)),
    )

    session = CoordinationSession.objects.get()
    assert response.status_code == 302
    assert response.url == session.get_absolute_url()
    assert session.starts_at == datetime(2024, 6, 24, 9, 0, tzinfo=JAKARTA)
    assert session.ends_at == datetime(2024, 6, 26, 16, 0, tzinfo=JAKARTA)
    assert (session.chair, session.sequence, session.invitations_sent_at) == (chair, 0, None)
    assert Minutes.objects.get(session=session).status == "draft"
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "meetings.coordination.create"
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends": "2024-06-24T08:00"}, "ends", "A session must end after it starts."),
        ({"place": ""}, "place", "A session held in person needs a place."),
        (
            {"mode": "online", "place": ""},
            "video_link",
            "An online session needs a video link.",
        ),
        (
            {"mode": "hybrid", "place": "", "video_link": ""},
            "place",
            "A session held in person needs a place.",
        ),
        (
            {"mode": "online", "video_link": "javascript:alert(1)"},
            "video_link",
            "Enter a valid URL.",
        ),
    ],
)
def test_bad_session_input_is_shown_and_nothing_written(
    client, meeting, secretariat, overrides, field, message
):
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:coordination_create", args=[meeting.number]), form_data(**overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert CoordinationSession.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_forged_guest_count_is_refused_without_building_a_hundred_thousand_forms(
    client, meeting, secretariat
):
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:coordination_create", args=[meeting.number]),
        form_data(**{"guests-TOTAL_FORMS": "100000"}),
    )

    assert response.status_code == 200
    assert "Please submit at most 100 forms." in response.content.decode()
    # The page comes back with the hundred rows it allows, not the hundred thousand asked.
    assert len(response.context["guests"].forms) == 100
    assert CoordinationSession.objects.count() == 0


def test_database_refuses_an_in_person_session_without_a_place(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinationSessionFactory(meeting=meeting, place="")


def test_chair_edits_the_session_but_an_invitee_may_not(
    client, coordination_session, chair, attendee
):
    url = reverse("meetings:coordination_edit", args=[7, coordination_session.pk])
    client.force_login(attendee)
    assert client.get(url).status_code == 403

    client.force_login(chair)
    response = client.post(url, form_data(coordination_session, purpose="Agree the delegation."))

    assert response.status_code == 302
    coordination_session.refresh_from_db()
    assert coordination_session.purpose == "Agree the delegation."
    assert coordination_session.sequence == 0


# --- Invitations, updates and cancellation --------------------------------------------------


def test_invitation_carries_a_request_with_the_session_uid(invited, smtp_server):
    received = invitations(smtp_server)

    assert sorted(received) == [
        "budi@ascn.example",
        "dewi@ascn.example",
        "priya.raman@unescap.example",
    ]
    message, event, method, attachment = received["dewi@ascn.example"]
    assert message["Subject"] == (
        "[ASCN Portal] Invitation: Coordination on Indonesia's ASCN membership"
    )
    assert method == "REQUEST"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert str(event["UID"]) == f"ascn-coordination-{invited.pk}@ascn-portal.example"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == datetime(2024, 6, 24, 9, 0, tzinfo=JAKARTA)
    assert event["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert str(event["LOCATION"]) == "Ministry of Home Affairs, Jakarta"
    assert str(event["ATTENDEE"]) == "mailto:dewi@ascn.example"
    body = smtp_server.body(message)
    assert "1. Indonesia as ASCN Shepherd\n2. Preparations for Luang Prabang" in body
    assert f"/meetings/7/coordination/{invited.pk}/" in body
    # A guest has no account to follow a link to.
    assert "/coordination/" not in smtp_server.body(received["priya.raman@unescap.example"][0])


def test_update_keeps_the_uid_with_a_higher_sequence_and_a_double_submit_sends_once(
    client, invited, chair, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.clear()
    client.force_login(chair)
    url = reverse("meetings:coordination_edit", args=[7, invited.pk])
    moved = form_data(invited, starts="2024-06-25T09:00", ends="2024-06-26T16:00")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, moved)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, moved)  # the same form sent again

    received = invitations(smtp_server)
    assert len(smtp_server.messages) == 3
    message, event, method, _attachment = received["dewi@ascn.example"]
    assert message["Subject"] == (
        "[ASCN Portal] Updated: Coordination on Indonesia's ASCN membership"
    )
    assert method == "REQUEST"
    assert str(event["UID"]) == f"ascn-coordination-{invited.pk}@ascn-portal.example"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2024, 6, 25, 9, 0, tzinfo=JAKARTA)
    invited.refresh_from_db()
    assert invited.sequence == 1


def test_a_change_calendars_do_not_show_sends_nothing(
    invited, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.clear()
    invited.purpose = "Also: Sumedang's candidacy."

    with django_capture_on_commit_callbacks(execute=True):
        coordination.save_coordination_session(invited, actor=secretariat)

    assert smtp_server.messages == []
    assert invited.sequence == 0


def test_cancellation_has_the_same_uid_and_a_higher_sequence(
    invited, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        coordination.cancel_coordination_session(
            invited, reason="Merged with the 9 July session.", actor=secretariat
        )

    received = invitations(smtp_server)
    assert sorted(received) == [
        "budi@ascn.example",
        "dewi@ascn.example",
        "priya.raman@unescap.example",
    ]
    message, event, method, attachment = received["dewi@ascn.example"]
    assert method == "CANCEL"
    assert attachment.get_param("method") == "CANCEL"
    assert str(event["UID"]) == f"ascn-coordination-{invited.pk}@ascn-portal.example"
    assert int(event["SEQUENCE"]) == 1
    assert str(event["STATUS"]) == "CANCELLED"
    assert message["Subject"] == (
        "[ASCN Portal] Cancelled: Coordination on Indonesia's ASCN membership"
    )
    assert "Reason: Merged with the 9 July session." in smtp_server.body(message)
    with pytest.raises(ValidationError, match="already cancelled"):
        coordination.cancel_coordination_session(invited, reason="Again", actor=secretariat)


def test_someone_taken_off_the_list_gets_a_cancellation(
    invited, attendee, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        coordination.save_coordination_session(invited, invited_people=[], actor=secretariat)

    [(address, (message, _event, method, _attachment))] = invitations(smtp_server).items()
    assert address == "dewi@ascn.example"
    assert method == "CANCEL"
    assert "You are no longer invited" in smtp_server.body(message)


def test_invitations_before_anyone_is_invited_are_refused(meeting, secretariat):
    session = CoordinationSessionFactory(meeting=meeting, chair=None)

    with pytest.raises(ValidationError, match="Nobody is invited yet"):
        coordination.send_invitations(session, actor=secretariat)

    assert OutgoingMail.objects.count() == 0


# --- Agenda points ----------------------------------------------------------------------------


def titles(session):
    return list(session.agenda_points.values_list("position", "title"))


def test_points_are_added_at_the_end_moved_and_deleted_without_gaps(
    client, coordination_session, chair
):
    client.force_login(chair)
    base = f"/meetings/7/coordination/{coordination_session.pk}/points/"

    client.post(base + "new/", {"title": "Sumedang's candidacy", "notes": ""})
    third = coordination_session.agenda_points.get(title="Sumedang's candidacy")
    client.post(f"{base}{third.pk}/move/", {"direction": "up"})
    first = coordination_session.agenda_points.get(position=1)
    client.post(f"{base}{first.pk}/move/", {"direction": "up"})  # already first
    client.post(f"{base}{first.pk}/delete/")

    assert titles(coordination_session) == [
        (1, "Sumedang's candidacy"),
        (2, "Preparations for Luang Prabang"),
    ]


def test_a_full_agenda_refuses_one_more_point_with_a_message(client, coordination_session, chair):
    existing = coordination_session.agenda_points.count()
    AgendaPoint.objects.bulk_create(
        AgendaPoint(session=coordination_session, position=100 + n, title=f"Point {n}")
        for n in range(AgendaPoint.MAX_PER_SESSION - existing)
    )
    client.force_login(chair)

    response = client.post(
        f"/meetings/7/coordination/{coordination_session.pk}/points/new/",
        {"title": "One too many", "notes": ""},
    )

    assert response.status_code == 200
    assert "A session&#x27;s agenda holds at most 100 points." in response.content.decode()
    assert coordination_session.agenda_points.count() == AgendaPoint.MAX_PER_SESSION


def test_points_keep_unique_positions_in_the_database(coordination_session):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaPoint.objects.create(session=coordination_session, position=1, title="Clash")


def test_point_of_another_session_is_not_found(client, coordination_session, chair, meeting):
    other = AgendaPointFactory(session=CoordinationSessionFactory(meeting=meeting, chair=chair))
    client.force_login(chair)

    response = client.post(
        f"/meetings/7/coordination/{coordination_session.pk}/points/{other.pk}/delete/"
    )

    assert response.status_code == 404
    assert AgendaPoint.objects.filter(pk=other.pk).exists()


def test_organisations_are_invited_by_name(client, coordination_session, secretariat):
    pacis = OrganisationFactory(name="PACIS")
    client.force_login(secretariat)

    client.post(
        reverse("meetings:coordination_edit", args=[7, coordination_session.pk]),
        form_data(coordination_session, invited_organisations=[str(pacis.pk)]),
    )
    response = client.get(coordination_session.get_absolute_url())

    assert list(coordination_session.invited_organisations.all()) == [pacis]
    assert "PACIS" in response.content.decode()


def test_someone_taken_off_and_put_back_is_invited_again(
    invited, attendee, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordination.save_coordination_session(invited, invited_people=[], actor=secretariat)
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        coordination.save_coordination_session(
            invited, invited_people=[attendee], actor=secretariat
        )

    # Only the person put back hears of it, at a SEQUENCE above their cancellation's.
    [(address, (_message, event, method, _attachment))] = invitations(smtp_server).items()
    assert (address, method) == ("dewi@ascn.example", "REQUEST")
    assert int(event["SEQUENCE"]) == 1


def test_each_calendar_message_is_recorded_once_with_its_sequence(
    invited, attendee, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordination.send_invitations(invited, actor=secretariat)  # again: nothing new
        coordination.save_coordination_session(invited, invited_people=[], actor=secretariat)

    sent = SentInvitation.objects.filter(session=invited).order_by("sequence", "method", "email")
    assert [(row.sequence, row.method, row.email) for row in sent] == [
        (0, "request", "budi@ascn.example"),
        (0, "request", "dewi@ascn.example"),
        (0, "request", "priya.raman@unescap.example"),
        (1, "cancel", "dewi@ascn.example"),
    ]
    assert all(row.mail.to == [row.email] for row in sent)


def test_new_session_defaults_to_its_meetings_zone(client, meeting, secretariat):
    client.force_login(secretariat)

    response = client.get(reverse("meetings:coordination_create", args=[meeting.number]))

    assert response.context["form"].initial["time_zone"] == meeting.time_zone == "Asia/Vientiane"
    assert '<option value="Asia/Vientiane" selected>' in response.content.decode()
