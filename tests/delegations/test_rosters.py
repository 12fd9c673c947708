import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from delegations import services
from delegations.models import Delegation, Participant
from pilots.models import Country
from tests.conftest import require
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(number=7)


ISO3 = {"TH": "THA", "MY": "MYS", "BN": "BRN"}


def country(code, name):
    # get_or_create: transactional tests flush the rows the data migration added.
    return Country.objects.get_or_create(
        code=code, defaults={"iso3": ISO3[code], "name": name, "is_asean_member": True}
    )[0]


@pytest.fixture
def thailand(meeting):
    nr = UserFactory(role="national_representative", email="nr.thailand@ascn.example")
    return DelegationFactory(
        meeting=meeting,
        country=country("TH", "Thailand"),
        name="Thailand",
        national_representative=nr,
        quota=2,
    )


@pytest.fixture
def malaysia(meeting):
    nr = UserFactory(role="national_representative", email="nr.malaysia@ascn.example")
    delegation = DelegationFactory(
        meeting=meeting,
        country=country("MY", "Malaysia"),
        name="Malaysia",
        national_representative=nr,
    )
    ParticipantFactory(delegation=delegation, full_name="Aminah Hassan", email="aminah@my.example")
    return delegation


def nomination(email="somchai@th.example", **overrides):
    return {
        "honorific": "Mr",
        "full_name": "Somchai Wong",
        "position": "Director",
        "organisation": "",
        "email": email,
        "phone": "",
        "role": "member",
        "language": "en",
        **overrides,
    }


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("anonymous", 302),
        ("delegate", 404),
        ("other_nr", 404),
        ("own_nr", 200),
        ("secretariat", 200),
    ],
)
def test_roster_visible_only_to_its_nr_and_the_secretariat(
    client, malaysia, thailand, viewer, expected
):
    users = {
        "delegate": UserFactory(role="delegate"),
        "other_nr": thailand.national_representative,
        "own_nr": malaysia.national_representative,
        "secretariat": UserFactory(role="secretariat"),
    }
    if viewer in users:
        client.force_login(users[viewer])

    response = client.get(reverse("delegations:detail", args=[malaysia.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert "aminah@my.example" in response.content.decode()


def test_nr_of_another_delegation_cannot_nominate_into_it(client, malaysia, thailand):
    client.force_login(thailand.national_representative)

    response = client.post(reverse("delegations:nominate", args=[malaysia.pk]), nomination())

    assert response.status_code == 404
    assert Participant.objects.filter(email="somchai@th.example").count() == 0


def test_delegate_gets_403_on_the_list(client):
    client.force_login(UserFactory(role="delegate"))

    assert client.get(reverse("delegations:list")).status_code == 403


def test_list_shows_the_nr_only_their_delegation(client, malaysia, thailand):
    client.force_login(thailand.national_representative)

    response = client.get(reverse("delegations:list"))

    assert [d.name for d in response.context["page"].object_list] == ["Thailand"]


def test_secretariat_list_in_asean_order_with_counts(client, malaysia, thailand):
    ParticipantFactory(delegation=thailand, status="registered")
    ParticipantFactory(delegation=thailand, status="declined")
    DelegationFactory(meeting=thailand.meeting, country=None, name="UNESCAP")
    DelegationFactory(
        meeting=thailand.meeting,
        country=country("BN", "Brunei Darussalam"),
        name="Brunei Darussalam",
    )
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("delegations:list"))

    rows = [(d.name, d.seated, d.registered) for d in response.context["page"].object_list]
    assert rows == [
        ("Brunei Darussalam", 0, 0),
        ("Malaysia", 1, 0),
        ("Thailand", 1, 1),
        ("UNESCAP", 0, 0),
    ]


def test_nr_nominates_within_quota(client, thailand):
    client.force_login(thailand.national_representative)

    response = client.post(
        reverse("delegations:nominate", args=[thailand.pk]), nomination(), follow=True
    )

    assert "Somchai Wong is nominated." in response.content.decode()
    participant = Participant.objects.get(delegation=thailand)
    assert (participant.email, participant.status) == ("somchai@th.example", "nominated")
    assert AuditEntry.objects.get().action == "delegations.participant.nominate"


def test_nomination_refused_when_quota_full(client, thailand):
    ParticipantFactory(delegation=thailand, status="registered")
    ParticipantFactory(delegation=thailand, status="invited")
    ParticipantFactory(delegation=thailand, status="declined")  # frees its seat
    client.force_login(thailand.national_representative)

    response = client.post(reverse("delegations:nominate", args=[thailand.pk]), nomination())

    assert "The delegation&#x27;s quota of 2 is full." in response.content.decode()
    assert Participant.objects.filter(delegation=thailand).count() == 3


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"role": "king"}, "role", "Select a valid choice."),
        ({"full_name": ""}, "full_name", "This field is required."),
    ],
)
def test_bad_nomination_shows_message_at_field(client, thailand, overrides, field, message):
    client.force_login(thailand.national_representative)

    response = client.post(
        reverse("delegations:nominate", args=[thailand.pk]), nomination(**overrides)
    )

    assert message in str(response.context["form"].errors[field])
    assert Participant.objects.count() == 0


def test_same_person_twice_refused(client, thailand):
    ParticipantFactory(delegation=thailand, email="somchai@th.example")
    client.force_login(thailand.national_representative)

    response = client.post(
        reverse("delegations:nominate", args=[thailand.pk]),
        nomination(email="Somchai@TH.example"),
    )

    assert response.context["form"].errors["email"] == [
        "Somchai@TH.example is already on this roster."
    ]


@pytest.mark.parametrize("count", [10, 2000])
def test_roster_page_query_count_is_constant(
    client, thailand, count, django_assert_max_num_queries
):
    Delegation.objects.filter(pk=thailand.pk).update(quota=5000)
    Participant.objects.bulk_create(
        Participant(delegation=thailand, full_name=f"Person {n}", email=f"p{n}@th.example")
        for n in range(count)
    )
    client.force_login(UserFactory(role="secretariat"))

    with django_assert_max_num_queries(8):
        response = client.get(reverse("delegations:detail", args=[thailand.pk]))

    assert len(response.context["page"].object_list) == min(count, 50)


@pytest.mark.django_db(transaction=True)
def test_last_seat_taken_by_one_of_two_simultaneous_nominations(thailand):
    if connection.vendor != "postgresql":
        require("row locks need PostgreSQL (DATABASE_URL)")
    ParticipantFactory(delegation=thailand)  # one of two seats taken
    barrier = threading.Barrier(2)
    results = []

    def nominate(email):
        participant = Participant(full_name=email, email=email)
        barrier.wait()
        try:
            services.roster.nominate(thailand, participant, actor=None)
            results.append("nominated")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=nominate, args=(f"{n}@th.example",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["The delegation's quota of 2 is full.", "nominated"]
    assert Participant.objects.filter(delegation=thailand).count() == 2


def test_nominee_cannot_be_tagged_with_another_countrys_pilot_city(client, thailand):
    from tests.factories.pilots import PilotCityFactory

    phuket = PilotCityFactory(name="Phuket", country=thailand.country)
    penang = PilotCityFactory(name="Penang", country=country("MY", "Malaysia"))
    client.force_login(thailand.national_representative)
    url = reverse("delegations:nominate", args=[thailand.pk])

    refused = client.post(url, nomination(pilot_city=str(penang.pk)))
    form_cities = list(client.get(url).context["form"].fields["pilot_city"].queryset)

    assert refused.status_code == 200
    assert "Select a valid choice." in str(refused.context["form"].errors["pilot_city"])
    assert Participant.objects.count() == 0
    assert form_cities == [phuket]


def test_service_refuses_another_countrys_pilot_city(thailand):
    from tests.factories.pilots import PilotCityFactory

    penang = PilotCityFactory(name="Penang", country=country("MY", "Malaysia"))

    with pytest.raises(ValidationError) as refused:
        services.roster.nominate(
            thailand,
            Participant(full_name="Somchai Wong", email="somchai@th.example", pilot_city=penang),
            actor=None,
        )

    assert refused.value.message_dict == {
        "pilot_city": ["Penang is not a pilot city of this delegation's country."]
    }
    assert Participant.objects.count() == 0


def test_meeting_filter_hides_draft_meetings_from_national_representatives(client, thailand):
    draft = MeetingFactory(number=9, title="9th ASCN Annual Meeting (draft)", status="draft")
    client.force_login(thailand.national_representative)

    delegations = client.get(reverse("delegations:list"))
    filtered = client.get(reverse("delegations:list"), {"meeting": str(draft.pk)})

    assert "9th ASCN Annual Meeting (draft)" not in delegations.content.decode()
    assert "Select a valid choice." in filtered.content.decode()
