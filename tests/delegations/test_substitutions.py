"""Changing a roster after it is settled: substitutions, withdrawals, single invitations."""

import re
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ascn_portal.core.models import AuditEntry
from delegations import services
from delegations.models import Invitation, Participant, Registration
from tests.conftest import require
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def delegation():
    return DelegationFactory(
        name="Indonesia",
        quota=3,
        roster_status="confirmed",
        national_representative=UserFactory(role="national_representative"),
    )


@pytest.fixture
def nr_client(client, delegation):
    client.force_login(delegation.national_representative)
    return client


@pytest.fixture
def agus(delegation):
    return ParticipantFactory(
        delegation=delegation, full_name="Agus Pratama", email="agus@ptri.example", role="member"
    )


SUBSTITUTE = {
    "honorific": "Ms",
    "full_name": "Rina Hartono",
    "position": "First Secretary",
    "organisation": "",
    "email": "Rina@PTRI.example",
    "phone": "",
    "role": "member",
    "language": "id",
    "reason": "Agus is posted abroad.",
}


def invite(participant, capture):
    with capture(execute=True):
        services.invitations.invite([participant], actor=None)


def link(inbox, message):
    return re.search(r"http://[^/\s]+(/delegations/invitation/\S+/)", inbox.body(message))


def test_full_confirmed_roster_refuses_new_nominations(nr_client, delegation):
    # A confirmed roster takes late nominations only within its free seats
    # (tests/delegations/test_late_nominations.py).
    ParticipantFactory.create_batch(3, delegation=delegation)
    page = nr_client.post(
        reverse("delegations:nominate", args=[delegation.pk]),
        {**SUBSTITUTE, "email": "new@ptri.example"},
    )

    assert "No seat is free: 3 of the 3 seats are taken." in page.content.decode()
    assert Participant.objects.count() == 3


def test_confirmed_roster_refuses_an_upload(nr_client, delegation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from delegations import roster_csv

    csv = roster_csv.template().encode() + b"Mr,Joko Widodo,Mayor,,joko@solo.example,,member,en\r\n"
    page = nr_client.post(
        reverse("delegations:roster_upload", args=[delegation.pk]),
        {"file": SimpleUploadedFile("roster.csv", csv, "text/csv")},
    )

    assert "The roster is confirmed" in page.content.decode()
    assert not Participant.objects.exists()


def test_substitution_keeps_both_people_on_record(
    nr_client, delegation, agus, smtp_server, django_capture_on_commit_callbacks
):
    invite(agus, django_capture_on_commit_callbacks)
    old_link = link(smtp_server, smtp_server.messages[0]).group(1)

    page = nr_client.post(
        reverse("delegations:participant_substitute", args=[agus.pk]), SUBSTITUTE, follow=True
    )

    rina = Participant.objects.get(email="rina@ptri.example")
    agus.refresh_from_db()
    assert "Rina Hartono replaces Agus Pratama." in page.content.decode()
    assert (agus.status, agus.status_reason) == ("replaced", "Agus is posted abroad.")
    assert (rina.status, rina.replaces, rina.language) == ("nominated", agus, "id")
    assert services.roster.seats_left(delegation) == 2  # one seat, handed over
    assert nr_client.get(old_link).status_code == 410  # the replaced person's link is dead
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "delegations.participant.replace",
        "delegations.participant.substitute",
    }
    roster = nr_client.get(delegation.get_absolute_url()).content.decode()
    assert "replaces Agus Pratama" in roster
    assert "Replaced by a substitute" in roster


def test_substitute_already_on_the_roster_is_refused_and_nothing_changes(
    nr_client, delegation, agus
):
    ParticipantFactory(delegation=delegation, email="rina@ptri.example")

    page = nr_client.post(reverse("delegations:participant_substitute", args=[agus.pk]), SUBSTITUTE)

    assert "rina@ptri.example is already on this roster." in page.content.decode()
    agus.refresh_from_db()
    assert agus.status == "nominated"
    assert Participant.objects.count() == 2


def test_someone_who_holds_no_seat_cannot_be_replaced(delegation, agus):
    agus.status = "declined"
    agus.save()

    with pytest.raises(ValidationError, match="holds no seat"):
        services.roster.substitute(
            agus, Participant(full_name="X", email="x@example.org"), reason="-", actor=None
        )
    assert Participant.objects.count() == 1


def test_withdrawal_frees_the_seat_and_kills_the_link(
    nr_client, delegation, agus, smtp_server, django_capture_on_commit_callbacks
):
    invite(agus, django_capture_on_commit_callbacks)

    page = nr_client.post(
        reverse("delegations:participant_cancel", args=[agus.pk]),
        {"reason": "Budget cut"},
        follow=True,
    )

    agus.refresh_from_db()
    assert "Agus Pratama is withdrawn; the seat is free." in page.content.decode()
    assert (agus.status, agus.status_reason) == ("withdrawn", "Budget cut")
    assert services.roster.seats_left(delegation) == 3
    assert not Invitation.objects.filter(revoked_at__isnull=True).exists()


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    nr_client, agus, smtp_server, django_capture_on_commit_callbacks
):
    invite(agus, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        page = nr_client.post(
            reverse("delegations:participant_invite", args=[agus.pk]), follow=True
        )

    assert "A new invitation is on its way to agus@ptri.example." in page.content.decode()
    first, _ = (link(smtp_server, m).group(1) for m in smtp_server.messages)
    assert nr_client.get(first).status_code == 410
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_revoked_link_no_longer_works(
    nr_client, agus, smtp_server, django_capture_on_commit_callbacks
):
    invite(agus, django_capture_on_commit_callbacks)

    page = nr_client.post(reverse("delegations:participant_revoke", args=[agus.pk]), follow=True)
    again = nr_client.post(reverse("delegations:participant_revoke", args=[agus.pk]), follow=True)

    agus.refresh_from_db()
    assert "The invitation link no longer works." in page.content.decode()
    assert "There is no open invitation to revoke." in again.content.decode()
    assert agus.status == "nominated"
    assert nr_client.get(link(smtp_server, smtp_server.messages[0]).group(1)).status_code == 410


def test_only_the_ticked_participants_are_invited(
    nr_client, delegation, agus, smtp_server, django_capture_on_commit_callbacks
):
    ParticipantFactory(delegation=delegation, email="dewi@banyuwangi.example")
    ticked = ParticipantFactory(delegation=delegation, email="andi@makassar.example")

    with django_capture_on_commit_callbacks(execute=True):
        nr_client.post(
            reverse("delegations:invite_all", args=[delegation.pk]),
            {"scope": "selected", "participant": [str(ticked.pk), str(agus.pk)]},
        )
    nothing = nr_client.post(
        reverse("delegations:invite_all", args=[delegation.pk]), {"scope": "selected"}, follow=True
    )

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "agus@ptri.example",
        "andi@makassar.example",
    ]
    assert "Tick the participants to invite first." in nothing.content.decode()


def test_registered_participant_who_pulls_out_is_cancelled(client, agus):
    agus.user = UserFactory(email=agus.email, role="delegate")
    agus.status = "registered"
    agus.save()
    client.force_login(agus.user)

    client.post(reverse("delegations:decline", args=[agus.pk]), {"reason": "Illness"})
    again = client.post(
        reverse("delegations:registration", args=[agus.pk]),
        {"emergency_contact": "Ayu", "consent_data_processing": "on"},
    )

    agus.refresh_from_db()
    assert (agus.status, agus.status_reason) == ("cancelled", "Illness")
    assert "You are not attending this meeting." in again.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("nr", 200), ("secretariat", 200), ("other_nr", 404), ("delegate", 404), ("self", 404)],
)
def test_participant_page_is_for_their_nr_and_the_secretariat(
    client, delegation, agus, viewer, expected
):
    other = DelegationFactory(
        meeting=delegation.meeting,
        country=None,
        name="UNESCAP",
        national_representative=UserFactory(role="national_representative"),
    )
    agus.user = UserFactory(email=agus.email, role="delegate")
    agus.save()
    Registration.objects.create(
        participant=agus, emergency_contact="Ayu +62 811", consent_data_processing=True
    )
    users = {
        "nr": delegation.national_representative,
        "secretariat": UserFactory(role="secretariat"),
        "other_nr": other.national_representative,
        "delegate": UserFactory(role="delegate"),
        "self": agus.user,  # their own data lives on the registration page
    }
    client.force_login(users[viewer])

    response = client.get(reverse("delegations:participant", args=[agus.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert "Ayu +62 811" in response.content.decode()
    for name in ("participant_invite", "participant_revoke", "participant_cancel"):
        assert client.post(
            reverse(f"delegations:{name}", args=[agus.pk]), {"reason": "x"}
        ).status_code in (302 if expected == 200 else 404,)


@pytest.mark.parametrize("invitations", [1, 20])
def test_participant_page_query_count_is_fixed(
    nr_client, agus, invitations, django_assert_max_num_queries
):
    for n in range(invitations):
        Invitation.objects.create(
            participant=agus,
            token_hash=f"{n:064d}",
            expires_at=timezone.now() + timedelta(days=1),
            revoked_at=timezone.now(),
            sent_by=agus.delegation.national_representative,
        )

    # Session, user, model permissions (2), the person's hats for the menu, participant,
    # registration, invitations, replaced by.
    with django_assert_max_num_queries(9):
        assert nr_client.get(reverse("delegations:participant", args=[agus.pk])).status_code == 200


# --- Lapsed invitations -------------------------------------------------------------------


def lapse(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def test_lapsed_links_free_the_seat_once(
    delegation, smtp_server, django_capture_on_commit_callbacks
):
    lapsed, used, open_ = (
        ParticipantFactory(delegation=delegation, email=f"{name}@ptri.example")
        for name in ("lapsed", "used", "open")
    )
    for participant in (lapsed, used, open_):
        invite(participant, django_capture_on_commit_callbacks)
    lapse(lapsed.invitations.get())
    Invitation.objects.filter(participant=used).update(used_at=timezone.now())
    lapse(used.invitations.get())

    assert services.invitations.expire_invitations() == 1
    assert services.invitations.expire_invitations() == 0

    statuses = dict(Participant.objects.values_list("email", "status"))
    assert statuses == {
        "lapsed@ptri.example": "expired",
        "used@ptri.example": "invited",  # has an account: can still register
        "open@ptri.example": "invited",
    }


def test_lapsed_invitee_is_invited_again_only_if_a_seat_is_free(
    delegation, smtp_server, django_capture_on_commit_callbacks
):
    lapsed = ParticipantFactory(
        delegation=delegation, email="lapsed@ptri.example", status="expired"
    )
    for n in range(3):
        ParticipantFactory(delegation=delegation, email=f"{n}@ptri.example")

    assert services.invitations.invite([lapsed], actor=None) == 0

    Participant.objects.filter(email="0@ptri.example").update(status="declined")
    assert services.invitations.invite([lapsed], actor=None) == 1


# --- The last seat ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_registering_for_the_last_seat_one_gets_it(delegation):
    if connection.vendor != "postgresql":
        require("row locks need PostgreSQL (DATABASE_URL)")
    # The secretariat cut the quota to 2 after three were invited; one is registered.
    delegation.quota = 2
    delegation.save()
    ParticipantFactory(delegation=delegation, status="registered")
    racers = [
        ParticipantFactory(delegation=delegation, email=f"racer{n}@ptri.example", status="invited")
        for n in (1, 2)
    ]
    barrier = threading.Barrier(2)
    results = []

    def register(participant):
        barrier.wait()
        try:
            services.registration.register(
                participant,
                Registration(emergency_contact="Ayu", consent_data_processing=True),
                actor=None,
            )
            results.append("registered")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(p,)) for p in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [
        "All 2 seats of the delegation are taken by registered participants. "
        "Ask your National Representative.",
        "registered",
    ]
    assert Participant.objects.filter(status="registered").count() == 2
    assert Registration.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_is_one_registration(delegation):
    """A double click, or a retry after the first answer was lost, reaching two web
    nodes at the same moment: both are answered "saved", and there is one registration
    holding the second sending's details."""
    if connection.vendor != "postgresql":
        require("row locks need PostgreSQL (DATABASE_URL)")
    invitee = ParticipantFactory(delegation=delegation, status="invited")
    barrier = threading.Barrier(2)
    results = []

    def send(flight):
        barrier.wait()
        try:
            services.registration.register(
                invitee,
                Registration(
                    arrival_flight=flight, emergency_contact="Ayu", consent_data_processing=True
                ),
                actor=None,
            )
            results.append("registered")
        except Exception as exc:
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(flight,)) for flight in ("QV 512", "QV 513")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == ["registered", "registered"]
    registration = Registration.objects.get()
    assert registration.participant == invitee
    assert registration.arrival_flight in ("QV 512", "QV 513")
    assert Participant.objects.get(pk=invitee.pk).status == "registered"
