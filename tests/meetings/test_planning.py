import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from meetings.agenda import services
from meetings.models import AgendaSession, Meeting
from tests.conftest import require
from tests.factories import UserFactory
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(role="secretariat"))
    return client


@pytest.fixture
def meeting():
    return MeetingFactory(number=7)


@pytest.fixture
def hall(meeting):
    return RoomFactory(meeting=meeting, name="Plenary Hall", capacity=50)


def session_data(room=None, **overrides):
    data = {
        "title": "Opening of the 7th ASCN Annual Meeting",
        "kind": "opening",
        "day": "2024-07-30",
        "start_time": "09:00",
        "end_time": "09:45",
        "room": room.pk if room else "",
        "chair": "ASCN Chair (Lao PDR)",
        "visibility": "public",
        "expected_attendance": "",
        "description": "",
    }
    data.update(overrides)
    return data


def add_session(client, meeting, data, **headers):
    return client.post(reverse("meetings:session_create", args=[meeting.number]), data, **headers)


def test_session_saved_in_meeting_time_zone(secretariat_client, meeting, hall):
    add_session(secretariat_client, meeting, session_data(hall))

    session = AgendaSession.objects.get()
    # 09:00 in Vientiane (UTC+7) is 02:00 UTC.
    assert session.starts_at == datetime.fromisoformat("2024-07-30T02:00:00+00:00")
    assert session.ends_at == datetime.fromisoformat("2024-07-30T02:45:00+00:00")
    assert AuditEntry.objects.get().action == "meetings.session.create"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "08:30"}, "end_time", "A session must end after it starts."),
        ({"end_time": "09:00"}, "end_time", "A session must end after it starts."),
        ({"day": "2024-08-03"}, "day", "Select a valid choice."),
        ({"title": ""}, "title", "This field is required."),
        ({"kind": "party"}, "kind", "Select a valid choice."),
    ],
)
def test_invalid_session_shows_message_at_field_and_saves_nothing(
    secretariat_client, meeting, hall, overrides, field, message
):
    response = add_session(secretariat_client, meeting, session_data(hall, **overrides))

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert AgendaSession.objects.count() == 0


def test_room_clash_refused_with_the_other_session_named(secretariat_client, meeting, hall):
    AgendaSessionFactory(
        meeting=meeting,
        room=hall,
        title="Plenary",
        starts_at=datetime(2024, 7, 30, 9, 30, tzinfo=meeting.zone),
        ends_at=datetime(2024, 7, 30, 10, 30, tzinfo=meeting.zone),
    )

    response = add_session(secretariat_client, meeting, session_data(hall))

    assert response.context["form"].errors["room"] == [
        "Plenary Hall is taken by “Plenary” from 09:30 to 10:30."
    ]
    assert AgendaSession.objects.count() == 1


def test_back_to_back_sessions_in_one_room_are_fine(secretariat_client, meeting, hall):
    AgendaSessionFactory(
        meeting=meeting,
        room=hall,
        starts_at=datetime(2024, 7, 30, 8, 0, tzinfo=meeting.zone),
        ends_at=datetime(2024, 7, 30, 9, 0, tzinfo=meeting.zone),
    )

    add_session(secretariat_client, meeting, session_data(hall))

    assert AgendaSession.objects.count() == 2


def test_room_over_capacity_warns_but_saves(secretariat_client, meeting, hall):
    response = add_session(
        secretariat_client, meeting, session_data(hall, expected_attendance="80"), follow=True
    )

    assert "Plenary Hall seats 50; 80 people are expected." in response.content.decode()
    assert AgendaSession.objects.count() == 1


def test_htmx_save_returns_the_agenda_fragment(secretariat_client, meeting, hall):
    response = add_session(secretariat_client, meeting, session_data(hall), HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="agenda-plan">')
    assert "<html" not in content
    assert "Opening of the 7th ASCN Annual Meeting" in content


def test_htmx_invalid_save_returns_form_in_its_place(secretariat_client, meeting, hall):
    response = add_session(
        secretariat_client, meeting, session_data(hall, end_time="08:00"), HTTP_HX_REQUEST="true"
    )

    assert response.headers["HX-Retarget"] == "#session-form-new"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert "A session must end after it starts." in response.content.decode()


def test_moving_a_session_to_another_day_and_room(secretariat_client, meeting, hall):
    other = RoomFactory(meeting=meeting, name="Meeting Room 1")
    session = AgendaSessionFactory(meeting=meeting, room=hall, title="Closed-door meeting")

    secretariat_client.post(
        reverse("meetings:session_edit", args=[meeting.number, session.pk]),
        session_data(
            other,
            title="Closed-door meeting",
            day="2024-07-31",
            start_time="15:30",
            end_time="17:00",
        ),
    )

    session.refresh_from_db()
    assert session.room == other
    assert session.starts_at == datetime(2024, 7, 31, 15, 30, tzinfo=meeting.zone)


def test_delete_session(secretariat_client, meeting):
    session = AgendaSessionFactory(meeting=meeting)

    secretariat_client.post(reverse("meetings:session_delete", args=[meeting.number, session.pk]))

    assert AgendaSession.objects.count() == 0
    assert AuditEntry.objects.get().action == "meetings.session.delete"


@pytest.mark.parametrize("role", ["delegate", "national_representative", "moderator"])
@pytest.mark.parametrize(
    "url_name", ["meetings:agenda_plan", "meetings:session_create", "meetings:edit"]
)
def test_planning_forbidden_to_other_roles(client, meeting, role, url_name):
    client.force_login(UserFactory(role=role))

    get = client.get(reverse(url_name, args=[meeting.number]))
    post = client.post(reverse(url_name, args=[meeting.number]), {})

    assert (get.status_code, post.status_code) == (403, 403)
    assert AgendaSession.objects.count() == 0


def test_planning_sends_anonymous_to_login(client, meeting):
    response = client.get(reverse("meetings:agenda_plan", args=[meeting.number]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("count", [10, 500])
def test_plan_page_query_count_is_constant(
    secretariat_client, meeting, hall, count, django_assert_max_num_queries
):
    start = datetime(2024, 7, 29, 8, 0, tzinfo=meeting.zone)
    AgendaSession.objects.bulk_create(
        AgendaSession(
            meeting=meeting,
            room=hall,
            title=f"Session {n}",
            kind="plenary",
            starts_at=start + timedelta(minutes=10 * n),
            ends_at=start + timedelta(minutes=10 * n + 10),
        )
        for n in range(count)
    )

    with django_assert_max_num_queries(6):
        response = secretariat_client.get(reverse("meetings:agenda_plan", args=[meeting.number]))

    assert response.content.decode().count('class="session ') == count


@pytest.mark.django_db(transaction=True)
def test_room_clash_refused_under_two_simultaneous_saves(meeting, hall):
    if connection.vendor != "postgresql":
        require("row locks need PostgreSQL (DATABASE_URL)")
    secretariat = UserFactory(role="secretariat")
    barrier = threading.Barrier(2)
    results = []

    def save(title):
        session = AgendaSession(
            meeting=meeting,
            room=hall,
            title=title,
            kind="plenary",
            starts_at=datetime(2024, 7, 30, 9, 0, tzinfo=meeting.zone),
            ends_at=datetime(2024, 7, 30, 10, 0, tzinfo=meeting.zone),
        )
        barrier.wait()
        try:
            services.save_session(session, actor=secretariat)
            results.append("saved")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["refused", "saved"]
    assert AgendaSession.objects.count() == 1


def test_meeting_form_refuses_dates_out_of_order(secretariat_client):
    from pilots.models import Country

    laos = Country.objects.get(code="LA")
    response = secretariat_client.post(
        reverse("meetings:create"),
        {
            "number": "9",
            "title": "9th ASCN Annual Meeting",
            "host_city": "Manila",
            "host_country": laos.pk,
            "chair_country": laos.pk,
            "format": "in_person",
            "status": "draft",
            "start_date": "2026-08-10",
            "end_date": "2026-08-07",
            "time_zone": "Mars/Olympus",
            "registration_opens": "2026-07-01",
            "registration_closes": "2026-06-01",
            "rooms-TOTAL_FORMS": "0",
            "rooms-INITIAL_FORMS": "0",
        },
    )

    errors = response.context["form"].errors
    assert errors["end_date"] == ["The last day cannot be before the first day."]
    assert errors["time_zone"] == ["Mars/Olympus is not a known time zone."]
    assert errors["registration_closes"] == ["Registration cannot close before it opens."]
    assert not Meeting.objects.filter(number=9).exists()


def test_meeting_created_with_rooms(secretariat_client):
    from pilots.models import Country

    laos = Country.objects.get(code="LA")
    response = secretariat_client.post(
        reverse("meetings:create"),
        {
            "number": "9",
            "title": "9th ASCN Annual Meeting",
            "host_city": "Manila",
            "host_country": laos.pk,
            "chair_country": laos.pk,
            "format": "in_person",
            "status": "draft",
            "start_date": "2026-08-10",
            "end_date": "2026-08-12",
            "time_zone": "Asia/Manila",
            "rooms-TOTAL_FORMS": "2",
            "rooms-INITIAL_FORMS": "0",
            "rooms-0-name": "Plenary Hall",
            "rooms-0-capacity": "400",
            "rooms-1-name": "",
            "rooms-1-capacity": "",
        },
        follow=True,
    )

    meeting = Meeting.objects.get(number=9)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert list(meeting.rooms.values_list("name", "capacity")) == [("Plenary Hall", 400)]


def test_draft_meeting_hidden_from_public_and_delegates(client):
    MeetingFactory(number=9, status="draft")
    client.force_login(UserFactory(role="delegate"))

    assert client.get(reverse("meetings:detail", args=[9])).status_code == 404
    assert list(client.get(reverse("meetings:list")).context["page"].object_list) == []


MEETING_FORM = {
    "number": "9",
    "title": "9th ASCN Annual Meeting",
    "host_city": "Kuala Lumpur",
    "format": "in_person",
    "status": "draft",
    "start_date": "2026-08-10",
    "end_date": "2026-08-12",
    "time_zone": "",
    "rooms-TOTAL_FORMS": "0",
    "rooms-INITIAL_FORMS": "0",
}


@pytest.mark.date_sensitive
def test_meeting_zone_defaults_to_the_host_countrys(secretariat_client):
    from pilots.models import Country

    malaysia = Country.objects.get(code="MY")
    with time_machine.travel(datetime(2026, 5, 1, 3, 0, tzinfo=UTC), tick=False):
        secretariat_client.post(
            reverse("meetings:create"),
            {**MEETING_FORM, "host_country": malaysia.pk, "chair_country": malaysia.pk},
        )

    assert Meeting.objects.get(number=9).time_zone == "Asia/Kuala_Lumpur"


def test_meeting_of_40_days_is_refused_by_form_and_database(secretariat_client):
    from django.db import IntegrityError, transaction

    from pilots.models import Country

    malaysia = Country.objects.get(code="MY")
    response = secretariat_client.post(
        reverse("meetings:create"),
        {
            **MEETING_FORM,
            "host_country": malaysia.pk,
            "chair_country": malaysia.pk,
            "end_date": "2026-09-18",
        },
    )

    assert response.context["form"].errors["end_date"] == [
        "A meeting lasts at most 31 days; these dates make 40."
    ]
    assert not Meeting.objects.filter(number=9).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(number=10, start_date=date(2026, 8, 10), end_date=date(2026, 9, 18))
    MeetingFactory(number=11, start_date=date(2026, 8, 1), end_date=date(2026, 8, 31))


@pytest.mark.date_sensitive
def test_past_dates_are_saved_with_a_warning(secretariat_client):
    from pilots.models import Country

    malaysia = Country.objects.get(code="MY")
    with time_machine.travel(datetime(2026, 8, 5, 3, 0, tzinfo=UTC), tick=False):
        response = secretariat_client.post(
            reverse("meetings:create"),
            {
                **MEETING_FORM,
                "host_country": malaysia.pk,
                "chair_country": malaysia.pk,
                "start_date": "2026-08-01",
                "end_date": "2026-08-12",
                "registration_opens": "2026-07-01",
                "registration_closes": "2026-08-03",
            },
            follow=True,
        )

    content = response.content.decode()
    assert "The meeting is saved." in content
    assert "The meeting&#x27;s first day, 1 August 2026, is in the past." in content
    assert "Registration closed on 3 August 2026, so no invitation can be sent." in content
    assert Meeting.objects.filter(number=9).exists()


@pytest.mark.date_sensitive
def test_future_dates_bring_no_warning(secretariat_client):
    from pilots.models import Country

    malaysia = Country.objects.get(code="MY")
    with time_machine.travel(datetime(2026, 5, 1, 3, 0, tzinfo=UTC), tick=False):
        response = secretariat_client.post(
            reverse("meetings:create"),
            {
                **MEETING_FORM,
                "host_country": malaysia.pk,
                "chair_country": malaysia.pk,
                "registration_opens": "2026-06-01",
                "registration_closes": "2026-07-31",
            },
            follow=True,
        )

    assert [str(m) for m in response.context["messages"]] == ["The meeting is saved."]


def meeting_data(**overrides):
    from pilots.models import Country

    laos = Country.objects.get(code="LA")
    return {
        "number": "9",
        "title": "9th ASCN Annual Meeting",
        "host_city": "Manila",
        "host_country": laos.pk,
        "chair_country": laos.pk,
        "format": "in_person",
        "status": "draft",
        "start_date": "2026-08-10",
        "end_date": "2026-08-12",
        "time_zone": "Asia/Manila",
        "rooms-TOTAL_FORMS": "0",
        "rooms-INITIAL_FORMS": "0",
        **overrides,
    }


def test_room_added_from_a_stale_form_is_a_message_not_an_error(secretariat_client, meeting):
    RoomFactory(meeting=meeting, name="Plenary Hall", capacity=400)  # saved meanwhile
    data = meeting_data(
        number=str(meeting.number),
        start_date=meeting.start_date.isoformat(),
        end_date=meeting.end_date.isoformat(),
        time_zone=meeting.time_zone,
        **{"rooms-TOTAL_FORMS": "1", "rooms-0-name": "Plenary Hall", "rooms-0-capacity": "50"},
    )

    response = secretariat_client.post(reverse("meetings:edit", args=[meeting.number]), data)

    assert response.status_code == 200
    assert "a meeting number or a room name is now taken" in response.content.decode()
    assert list(meeting.rooms.values_list("name", "capacity")) == [("Plenary Hall", 400)]


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "9999-12-31"), ("1999-12-31", "2000-01-02")]
)
def test_meeting_dates_outside_the_plausible_years_are_refused(secretariat_client, start, end):
    response = secretariat_client.post(
        reverse("meetings:create"), meeting_data(start_date=start, end_date=end)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [
        "Enter a date between 1 January 2000 and 31 December 2100."
    ]
    assert not Meeting.objects.filter(number=9).exists()
