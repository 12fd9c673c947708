"""The secretariat's work queue, the state of the coming meeting and its chart."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ascn_portal.core.models import GeneratedDocument, OutgoingMail
from delegations.models import Delegation, Participant, Registration
from tests.factories import UserFactory
from tests.factories.coordination import ActionItemFactory, CoordinationSessionFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.panels import PanelFactory, SpeakerFactory
from tests.factories.pilots import member_state

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

# 27 July 2024, 10:00 in Luang Prabang: registration closes on the 29th, Panel 3 is on
# the 31st, the June coordination session is over.
NOW = datetime(2024, 7, 27, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def meeting():
    return MeetingFactory(
        number=7,
        title="7th ASCN Annual Meeting",
        registration_opens=date(2024, 6, 1),
        registration_closes=date(2024, 7, 29),
        status="published",
    )


def fill(meeting, people):
    """Work of every kind at ``meeting``, with ``people`` unregistered participants."""
    approved = DelegationFactory(
        meeting=meeting, country=member_state("TH"), name="Thailand", quota=people + 5
    )
    Delegation.objects.filter(pk=approved.pk).update(roster_status="approved")
    confirmed = DelegationFactory(
        meeting=meeting,
        country=member_state("ID"),
        name="Indonesia",
        quota=people + 5,
    )
    Delegation.objects.filter(pk=confirmed.pk).update(roster_status="confirmed")
    Participant.objects.bulk_create(
        Participant(delegation=approved, full_name=f"Person {n}", email=f"p{n}@th.example")
        for n in range(people)
    )
    ParticipantFactory(delegation=confirmed, status="registered", email="agus@ptri.example")
    ParticipantFactory(
        delegation=confirmed,
        email="siti@makassar.example",
        late_nominated_at=NOW - timedelta(days=1),
    )
    session = CoordinationSessionFactory(meeting=meeting)  # 24 June, minutes a draft
    ActionItemFactory(session=session, due_date=date(2024, 7, 19))
    ActionItemFactory(session=session, due_date=date(2024, 8, 19))
    panel = PanelFactory(conference__meeting=meeting)
    SpeakerFactory(panel=panel)
    return approved, confirmed


def tasks(response):
    return [
        (queue.meeting.number, [(task.kind, task.count, task.url) for task in queue.tasks])
        for queue in response.context["work_queue"]
    ]


def test_work_queue_counts_each_kind_of_work_per_meeting(client, meeting):
    fill(meeting, 3)
    OutgoingMail.objects.create(
        idempotency_key="x", to=["a@example.org"], subject="S", body_text="B", status="failed"
    )
    GeneratedDocument.objects.create(
        kind="agenda",
        about_type=ContentType.objects.get_for_model(meeting),
        about_id=str(meeting.pk),
        version=1,
        title="Agenda",
        template_name="pdf/none.html",
        view_permission="meetings.view_meeting",
        status="failed",
    )
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("dashboards:home"))

    assert tasks(response) == [
        (
            7,
            [
                ("rosters", 1, f"/delegations/?meeting={meeting.pk}"),
                ("late", 1, f"/delegations/participants/?meeting={meeting.pk}&awaiting=on"),
                ("closing", 4, f"/delegations/participants/?meeting={meeting.pk}"),
                ("minutes", 1, "/meetings/7/coordination/"),
                ("briefs", 1, "/panels/meeting/7/"),
                ("overdue", 1, "/meetings/7/actions/"),
            ],
        )
    ]
    content = response.content.decode()
    assert "4 people have not registered, and registration closes on 29 July 2024" in content
    assert "1 e-mail failed" in content
    assert "“Agenda” (version 1) failed to render" in content


def test_late_nominations_link_lists_them(client, meeting):
    fill(meeting, 1)
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(
        reverse("delegations:participants"), {"meeting": meeting.pk, "awaiting": "on"}
    )

    assert [p.email for p in response.context["page"].object_list] == ["siti@makassar.example"]


def test_dashboard_boxes_show_the_coming_meeting(client, meeting):
    fill(meeting, 3)
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("dashboards:home"))

    assert response.context["focus_meeting"] == meeting
    assert response.context["delegation_summary"] == {
        "delegations": 2,
        "quota": 16,
        "seated": 5,
        "registered": 1,
        "confirmed": 1,
    }
    assert response.context["panel_summary"] == {"panels": 1, "locked": 0, "speakers": 1}
    chart = response.context["quota_chart"]
    assert [(bar.label, bar.registered, bar.seated, bar.quota) for bar in chart.bars] == [
        ("Indonesia", 1, 2, 8),
        ("Thailand", 0, 3, 8),
    ]
    assert chart.bars[0].quota_width == chart.bars[1].quota_width
    content = response.content.decode()
    assert "No delegations yet." not in content
    assert "No panels yet." not in content
    assert "<script" not in content.split('id="work-queue-heading"')[1]


@pytest.mark.parametrize("role", ["national_representative", "delegate"])
def test_work_queue_is_the_secretariats_only(client, meeting, role):
    fill(meeting, 1)
    client.force_login(UserFactory(role=role))

    response = client.get(reverse("dashboards:home"))

    assert "work_queue" not in response.context
    assert "Work queue" not in response.content.decode()


@pytest.mark.parametrize("people", [10, 2000])
def test_work_queue_query_count_is_constant(client, meeting, people, django_assert_num_queries):
    fill(meeting, people)
    client.force_login(UserFactory(role="secretariat"))

    # The home page's own (one of them the documents new since the last visit to the
    # register) and one per kind of work: the same for 10 or 2,000 people.
    with django_assert_num_queries(21):
        response = client.get(reverse("dashboards:home"))

    assert tasks(response)[0][1][2][1] == people + 1


def register(delegation, email, when):
    """A registered participant whose form was first sent at ``when``."""
    participant = ParticipantFactory(delegation=delegation, status="registered", email=email)
    with time_machine.travel(when, tick=False):
        Registration.objects.create(
            participant=participant, emergency_contact="Ayu, +62 811", consent_data_processing=True
        )
    return participant


def test_registrations_over_time_count_up_towards_the_deadline(client, meeting):
    indonesia = DelegationFactory(meeting=meeting, country=member_state("ID"), quota=6)
    thailand = DelegationFactory(meeting=meeting, country=member_state("TH"), quota=4)
    # 2 July 23:30 UTC is already 3 July in Luang Prabang (UTC+7).
    register(indonesia, "a@id.example", datetime(2024, 7, 2, 23, 30, tzinfo=UTC))
    register(thailand, "b@th.example", datetime(2024, 7, 3, 2, 0, tzinfo=UTC))
    register(indonesia, "c@id.example", datetime(2024, 7, 20, 5, 0, tzinfo=UTC))
    cancelled = register(thailand, "d@th.example", datetime(2024, 7, 21, 5, 0, tzinfo=UTC))
    Participant.objects.filter(pk=cancelled.pk).update(status="cancelled")
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("dashboards:home"))

    chart = response.context["registration_chart"]
    assert chart.days == [(date(2024, 7, 3), 2), (date(2024, 7, 20), 3)]
    assert (chart.registered, chart.quota) == (3, 10)
    assert (chart.first_day, chart.last_day) == (date(2024, 6, 1), date(2024, 7, 29))
    assert chart.left < chart.today_x < chart.right  # 27 July, two days before it closes
    content = response.content.decode()
    assert "Registrations over time: 3 of 10 seats, registration closes on 29 July 2024" in content
    assert '<th scope="row">20 July 2024</th><td>3</td>' in content


def test_host_national_representative_finds_the_logistics_from_home(client, meeting):
    host_nr, other_nr = UserFactory(), UserFactory()
    DelegationFactory(
        meeting=meeting, country=meeting.host_country, national_representative=host_nr
    )
    other_country = member_state("TH" if meeting.host_country.code != "TH" else "ID")
    DelegationFactory(meeting=meeting, country=other_country, national_representative=other_nr)
    logistics = reverse("delegations:logistics", args=[meeting.number])

    client.force_login(host_nr)
    assert f'href="{logistics}"' in client.get(reverse("dashboards:home")).content.decode()
    assert client.get(logistics).status_code == 200

    client.force_login(other_nr)
    assert f'href="{logistics}"' not in client.get(reverse("dashboards:home")).content.decode()
    assert client.get(logistics).status_code == 404
