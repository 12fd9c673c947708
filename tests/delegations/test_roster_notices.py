"""Every roster change that concerns someone reaches them: the National Representative
when the roster is confirmed or returned, a withdrawn or replaced person with the
reason; and the status shown matches the action's word."""

import pytest
from django.urls import reverse

from delegations.models import Delegation, Participant
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegation():
    return DelegationFactory(
        name="Indonesia",
        quota=4,
        national_representative=UserFactory(
            role="national_representative",
            email="budi@kemendagri.example",
            full_name="Budi Santoso",
        ),
    )


@pytest.fixture
def agus(delegation):
    return ParticipantFactory(
        delegation=delegation, full_name="Agus Pratama", email="agus@ptri.example"
    )


def approved(delegation):
    Delegation.objects.filter(pk=delegation.pk).update(roster_status="approved")


def test_representative_hears_the_roster_is_confirmed(
    client, delegation, smtp_server, django_capture_on_commit_callbacks
):
    approved(delegation)
    client.force_login(UserFactory(role="secretariat"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("delegations:roster_confirm", args=[delegation.pk]))

    [message] = smtp_server.messages
    assert message["To"] == "budi@kemendagri.example"
    assert "The roster of Indonesia for the" in message["Subject"]
    assert "is confirmed" in message["Subject"]


def test_representative_hears_the_roster_is_returned_with_the_reason(
    client, delegation, smtp_server, django_capture_on_commit_callbacks
):
    approved(delegation)
    client.force_login(UserFactory(role="secretariat"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("delegations:roster_return", args=[delegation.pk]),
            {"reason": "Please add the city representatives."},
        )

    [message] = smtp_server.messages
    assert message["To"] == "budi@kemendagri.example"
    assert "is returned to you" in message["Subject"]
    assert "Please add the city representatives." in smtp_server.body(message)


def test_withdrawn_person_is_told_why_and_shown_as_withdrawn(
    client, delegation, agus, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(delegation.national_representative)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("delegations:participant_cancel", args=[agus.pk]),
            {"reason": "Budget cut"},
            follow=True,
        )

    assert "Agus Pratama is withdrawn; the seat is free." in page.content.decode()
    agus.refresh_from_db()
    assert (agus.status, agus.get_status_display()) == ("withdrawn", "Withdrawn")
    [message] = smtp_server.messages
    assert message["To"] == "agus@ptri.example"
    assert "You are withdrawn from the delegation to the" in message["Subject"]
    assert "Budget cut" in smtp_server.body(message)


def test_replaced_person_is_told_why(
    client, delegation, agus, smtp_server, django_capture_on_commit_callbacks
):
    Delegation.objects.filter(pk=delegation.pk).update(roster_status="confirmed")
    client.force_login(delegation.national_representative)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("delegations:participant_substitute", args=[agus.pk]),
            {
                "honorific": "Ms",
                "full_name": "Rina Hartono",
                "position": "First Secretary",
                "email": "rina@ptri.example",
                "role": "member",
                "language": "en",
                "reason": "Agus is posted abroad.",
            },
        )

    assert Participant.objects.get(pk=agus.pk).status == "replaced"
    [message] = smtp_server.messages
    assert message["To"] == "agus@ptri.example"
    assert "You are replaced on the delegation to the" in message["Subject"]
    assert "Agus is posted abroad." in smtp_server.body(message)


def test_no_representative_no_notice(client, smtp_server, django_capture_on_commit_callbacks):
    delegation = DelegationFactory(name="Indonesia")
    approved(delegation)
    client.force_login(UserFactory(role="secretariat"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("delegations:roster_confirm", args=[delegation.pk]))

    assert Delegation.objects.get(pk=delegation.pk).roster_status == "confirmed"
    assert smtp_server.messages == []
