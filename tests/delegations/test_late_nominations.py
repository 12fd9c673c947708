"""After the secretariat confirms a roster, its National Representative may still
nominate within the free seats; each newcomer waits for the secretariat's confirmation
while the rest of the roster stays confirmed."""

import pytest
from django.urls import reverse

from ascn_portal.core.models import AuditEntry, OutgoingMail
from delegations.models import Delegation, Participant
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

NEWCOMER = {
    "honorific": "Ms",
    "full_name": "Siti Aminah",
    "position": "Head of Smart City Division",
    "email": "siti@makassar.example",
    "role": "member",
    "language": "id",
}


@pytest.fixture
def nr():
    return UserFactory(role="national_representative", full_name="Budi Santoso")


@pytest.fixture
def confirmed(nr):
    delegation = DelegationFactory(name="Indonesia", quota=4, national_representative=nr)
    ParticipantFactory(delegation=delegation, email="dewi@banyuwangi.example", status="invited")
    ParticipantFactory(delegation=delegation, email="agus@ptri.example", status="registered")
    Delegation.objects.filter(pk=delegation.pk).update(roster_status="confirmed")
    delegation.refresh_from_db()
    return delegation


def nominate(client, delegation, **data):
    return client.post(
        reverse("delegations:nominate", args=[delegation.pk]), {**NEWCOMER, **data}, follow=True
    )


def test_late_nomination_within_the_free_seats_waits_for_confirmation(client, confirmed, nr):
    client.force_login(nr)
    page = client.get(confirmed.get_absolute_url()).content.decode()
    assert "Nominate a late participant" in page

    response = nominate(client, confirmed)

    assert "Siti Aminah is nominated and waits for the secretariat&#x27;s confirmation." in (
        response.content.decode()
    )
    confirmed.refresh_from_db()
    assert confirmed.roster_status == "confirmed"
    newcomer = Participant.objects.get(email="siti@makassar.example")
    assert (newcomer.status, newcomer.awaits_confirmation) == ("nominated", True)
    assert sorted(
        Participant.objects.filter(delegation=confirmed).values_list("email", "status")
    ) == [
        ("agus@ptri.example", "registered"),
        ("dewi@banyuwangi.example", "invited"),
        ("siti@makassar.example", "nominated"),
    ]
    assert list(
        AuditEntry.objects.filter(action__startswith="delegations.").values_list("action", "actor")
    ) == [("delegations.participant.nominate_late", nr.pk)]


def test_late_nominee_is_not_invited_before_confirmation(client, confirmed, nr):
    client.force_login(nr)
    nominate(client, confirmed)
    newcomer = Participant.objects.get(email="siti@makassar.example")

    response = client.post(
        reverse("delegations:participant_invite", args=[newcomer.pk]), follow=True
    )
    client.post(
        reverse("delegations:invite_all", args=[confirmed.pk]),
        {"scope": "selected", "participant": [newcomer.pk]},
    )

    assert "waits for the secretariat&#x27;s confirmation before being invited" in (
        response.content.decode()
    )
    assert Participant.objects.get(pk=newcomer.pk).status == "nominated"
    assert not OutgoingMail.objects.exists()


def test_secretariat_confirms_the_newcomer_who_can_then_be_invited(client, confirmed, nr):
    client.force_login(nr)
    nominate(client, confirmed)
    newcomer = Participant.objects.get(email="siti@makassar.example")
    secretariat = UserFactory(role="secretariat")

    refused = client.post(reverse("delegations:participant_confirm_late", args=[newcomer.pk]))
    client.force_login(secretariat)
    response = client.post(
        reverse("delegations:participant_confirm_late", args=[newcomer.pk]), follow=True
    )

    assert refused.status_code == 403
    assert "Siti Aminah is confirmed and can be invited." in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.awaits_confirmation is False
    assert (
        AuditEntry.objects.filter(
            action="delegations.participant.confirm_late", actor=secretariat
        ).count()
        == 1
    )
    client.force_login(nr)
    client.post(reverse("delegations:participant_invite", args=[newcomer.pk]))
    assert Participant.objects.get(pk=newcomer.pk).status == "invited"


def test_late_nomination_beyond_the_free_seats_is_refused_with_the_numbers(client, confirmed, nr):
    ParticipantFactory.create_batch(2, delegation=confirmed, status="nominated")
    client.force_login(nr)

    response = nominate(client, confirmed)

    assert (
        "No seat is free: 4 of the 4 seats are taken. Replace someone with a substitute, "
        "or ask the secretariat to raise the quota."
    ) in response.content.decode()
    assert not Participant.objects.filter(email="siti@makassar.example").exists()
    assert not AuditEntry.objects.exists()


def test_another_delegations_nr_cannot_nominate_late(client, confirmed):
    client.force_login(UserFactory(role="national_representative"))

    response = client.post(reverse("delegations:nominate", args=[confirmed.pk]), NEWCOMER)

    assert response.status_code == 404
    assert not Participant.objects.filter(email="siti@makassar.example").exists()
