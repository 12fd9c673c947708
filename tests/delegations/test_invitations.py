import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ascn_portal.core.tokens import hash_token
from delegations import services
from delegations.models import Invitation, Participant
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.delegations import DelegationFactory, ParticipantFactory

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def delegation():
    return DelegationFactory(
        name="Indonesia", national_representative=UserFactory(role="national_representative")
    )


@pytest.fixture
def dewi(delegation):
    return ParticipantFactory(
        delegation=delegation, full_name="Dewi Lestari", email="dewi@banyuwangi.example"
    )


def invite(participant, capture, actor=None):
    with capture(execute=True):
        services.invitations.invite([participant], actor=actor)


def link_in(inbox, message):
    return re.search(r"http://[^/\s]+(/delegations/invitation/\S+/)", inbox.body(message))


REGISTRATION = {
    "arrival_date": "2024-07-28",
    "arrival_flight": "QV 512",
    "departure_date": "2024-08-02",
    "departure_flight": "QV 513",
    "accommodation": "Hotel in Luang Prabang",
    "dietary_needs": "Halal",
    "accessibility_needs": "",
    "emergency_contact": "Ayu, +62 811",
    "consent_photography": "on",
    "consent_data_processing": "on",
}


def test_invitation_journey_signup_then_register(
    client, dewi, delegation, smtp_server, django_capture_on_commit_callbacks
):
    invite(dewi, django_capture_on_commit_callbacks, actor=delegation.national_representative)

    [message] = smtp_server.messages
    assert message["To"] == "dewi@banyuwangi.example"
    assert message["Subject"].startswith("[ASCN Portal] Invitation to the")
    [ics] = list(message.iter_attachments())
    assert Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]["SUMMARY"]
    path = link_in(smtp_server, message).group(1)

    to_signup = client.get(path)
    assert to_signup.url.startswith(reverse("account_signup"))
    client.post(
        to_signup.url,
        {"email": "dewi@banyuwangi.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    to_form = client.get(path)  # back from sign-up, signed in
    dewi.refresh_from_db()
    assert to_form.url == reverse("delegations:registration", args=[dewi.pk])
    response = client.post(to_form.url, REGISTRATION, follow=True)

    dewi.refresh_from_db()
    assert "Your registration is saved." in response.content.decode()
    assert dewi.status == "registered"
    assert dewi.user.email == "dewi@banyuwangi.example"
    assert dewi.registration.dietary_needs == "Halal"
    assert (
        get_user_model()
        .objects.get(email="dewi@banyuwangi.example")
        .emailaddress_set.get()
        .verified
    )


def test_used_link_leads_its_owner_to_their_registration_and_no_one_else(
    client, dewi, smtp_server, django_capture_on_commit_callbacks
):
    # The link stays single-use: it never ties the seat to anyone again; but it is
    # still the owner's way back to their registration.
    invite(dewi, django_capture_on_commit_callbacks)
    path = link_in(smtp_server, smtp_server.messages[0]).group(1)
    owner = UserFactory(email="dewi@banyuwangi.example", role="")
    client.force_login(owner)
    client.get(path)
    registration = reverse("delegations:registration", args=[dewi.pk])

    logged_in = client.get(path)
    client.logout()
    logged_out = client.get(path, follow=True)
    client.force_login(UserFactory(email="intruder@ascn.example", role="delegate"))
    intruder = client.get(path)

    assert logged_in.status_code == 302
    assert logged_in.url == registration
    assert logged_out.redirect_chain == [(f"/accounts/login/?next={registration}", 302)]
    assert "Log in to see your registration." in logged_out.content.decode()
    assert intruder.status_code == 403
    assert "This invitation belongs to another account." in intruder.content.decode()
    assert "Dewi" not in intruder.content.decode()
    dewi.refresh_from_db()
    assert dewi.user == owner


def test_link_for_someone_else_is_refused(
    client, dewi, smtp_server, django_capture_on_commit_callbacks
):
    invite(dewi, django_capture_on_commit_callbacks)
    path = link_in(smtp_server, smtp_server.messages[0]).group(1)
    client.force_login(UserFactory(email="intruder@ascn.example", role="delegate"))

    response = client.get(path)

    assert response.status_code == 403
    assert "sent to another person" in response.content.decode()
    dewi.refresh_from_db()
    assert dewi.user is None
    assert Invitation.objects.get().used_at is None


def test_expired_link_is_refused(client, dewi, smtp_server, django_capture_on_commit_callbacks):
    invite(dewi, django_capture_on_commit_callbacks)
    path = link_in(smtp_server, smtp_server.messages[0]).group(1)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(path)

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_guessed_token_is_refused(client, dewi):
    response = client.get(reverse("delegations:invitation", args=["x" * 43]))

    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_new_invitation_replaces_the_old_link(
    client, dewi, smtp_server, django_capture_on_commit_callbacks
):
    invite(dewi, django_capture_on_commit_callbacks)
    invite(dewi, django_capture_on_commit_callbacks)
    first, second = (link_in(smtp_server, m).group(1) for m in smtp_server.messages)

    assert "replaced or withdrawn" in client.get(first).content.decode()
    assert client.get(second).status_code == 302
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_token_is_stored_only_as_a_hash(dewi, smtp_server, django_capture_on_commit_callbacks):
    invite(dewi, django_capture_on_commit_callbacks)
    token = link_in(smtp_server, smtp_server.messages[0]).group(1).rstrip("/").rsplit("/", 1)[1]

    assert Invitation.objects.get().token_hash == hash_token(token)
    assert len(token) >= 40


def test_registration_page_is_404_for_anyone_else(client, dewi):
    dewi.user = UserFactory(email=dewi.email, role="delegate")
    dewi.save()
    client.force_login(UserFactory(role="delegate"))

    assert client.get(reverse("delegations:registration", args=[dewi.pk])).status_code == 404


def test_registration_requires_consent_and_ordered_dates(client, dewi):
    dewi.user = UserFactory(email=dewi.email, role="delegate")
    dewi.save()
    client.force_login(dewi.user)

    response = client.post(
        reverse("delegations:registration", args=[dewi.pk]),
        {**REGISTRATION, "departure_date": "2024-07-20", "consent_data_processing": ""},
    )

    errors = response.context["form"].errors
    assert errors["departure_date"] == ["Departure cannot be before arrival."]
    assert errors["consent_data_processing"] == ["This field is required."]
    assert Participant.objects.get(pk=dewi.pk).status == "nominated"


def test_participant_can_decline_with_reason(client, dewi):
    dewi.user = UserFactory(email=dewi.email, role="delegate")
    dewi.save()
    client.force_login(dewi.user)

    client.post(reverse("delegations:decline", args=[dewi.pk]), {"reason": "Budget"})

    dewi.refresh_from_db()
    assert dewi.status == "declined"


def test_nr_invites_the_whole_roster(
    client, delegation, dewi, smtp_server, django_capture_on_commit_callbacks
):
    ParticipantFactory(delegation=delegation, email="agus@ptri.example")
    ParticipantFactory(delegation=delegation, email="gone@ascn.example", status="declined")
    client.force_login(delegation.national_representative)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("delegations:invite_all", args=[delegation.pk]))

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "agus@ptri.example",
        "dewi@banyuwangi.example",
    ]


def test_person_with_an_account_is_asked_to_log_in(
    client, dewi, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(email="dewi@banyuwangi.example", role="delegate")
    invite(dewi, django_capture_on_commit_callbacks)
    path = link_in(smtp_server, smtp_server.messages[0]).group(1)

    response = client.get(path)

    assert response.url == f"{reverse('account_login')}?next={path}"
    assert Invitation.objects.get().used_at is None


@pytest.mark.parametrize("how", ["service", "page"])
def test_no_invitation_once_registration_has_closed(
    client, dewi, delegation, smtp_server, how, django_capture_on_commit_callbacks
):
    from datetime import date

    from django.core.exceptions import ValidationError

    from ascn_portal.core.models import OutgoingMail

    meeting = delegation.meeting
    meeting.registration_closes = date(2020, 1, 31)
    meeting.save()

    with django_capture_on_commit_callbacks(execute=True):
        if how == "service":
            with pytest.raises(ValidationError) as refused:
                services.invitations.invite([dewi], actor=None)
            message = refused.value.messages[0]
        else:
            client.force_login(delegation.national_representative)
            page = client.post(
                reverse("delegations:invite_all", args=[delegation.pk]),
                {"scope": "all"},
                follow=True,
            )
            [message] = [str(m) for m in page.context["messages"]]

    dewi.refresh_from_db()
    assert message == (
        f"Registration for the {meeting.title} closed on 31 January 2020, so no invitation "
        "can be sent. The secretariat can reopen it by editing the meeting."
    )
    assert dewi.status == "nominated"
    assert not Invitation.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert smtp_server.messages == []


def outbox_pages(client, mail):
    staff = UserFactory(role="secretariat")
    client.force_login(staff)
    pages = [
        client.get(reverse("core:outbox_list")).content.decode(),
        client.get(reverse("core:outbox_detail", args=[mail.pk])).content.decode(),
        client.get(reverse("core:outbox_html", args=[mail.pk])).content.decode(),
    ]
    client.logout()
    return pages


def test_outbox_keeps_no_working_invitation_link(
    client, dewi, smtp_server, django_capture_on_commit_callbacks
):
    from ascn_portal.core.models import OutgoingMail

    invite(dewi, django_capture_on_commit_callbacks)

    mail = OutgoingMail.objects.get()
    stored = [mail.subject, mail.body_text, mail.body_html, str(mail.secrets)]
    shown = outbox_pages(client, mail)
    # Whatever stands where the link was, on the pages or in the row, opens nothing.
    found = set()
    for text in stored + shown:
        found |= set(re.findall(r"/delegations/invitation/[^\s\"'<]*", text))
        found |= set(re.findall(r"\[link hidden: sent only to the recipient\]", text))
    assert found == {"[link hidden: sent only to the recipient]"}
    assert client.get(f"/delegations/invitation/{found.pop()}/").status_code == 410
    assert mail.secrets == {}
    # The delivered message carries the working link.
    path = link_in(smtp_server, smtp_server.messages[0]).group(1)
    assert client.get(path).url.startswith(reverse("account_signup"))


def test_queued_invitation_holds_its_link_only_until_sent(
    client, dewi, smtp_server, django_capture_on_commit_callbacks
):
    from ascn_portal.core.models import OutgoingMail
    from ascn_portal.core.outbox import send_batch

    with django_capture_on_commit_callbacks(execute=False):
        services.invitations.invite([dewi], actor=None)
    mail = OutgoingMail.objects.get()
    [(placeholder, link)] = mail.secrets.items()
    assert placeholder in mail.body_text
    assert link not in mail.body_text + mail.body_html

    send_batch([mail.pk])

    mail.refresh_from_db()
    assert (mail.status, mail.secrets) == ("sent", {})
    assert link in smtp_server.body(smtp_server.messages[0])


@pytest.mark.parametrize(
    ("arrival", "message"),
    [
        ("0001-01-01", "Enter a date between 1 January 2000 and 31 December 2100."),
        ("9999-12-31", "Enter a date between 1 January 2000 and 31 December 2100."),
        ("2024-01-01", "Give a date from 28 June 2024 to 2 September 2024, around the meeting."),
    ],
)
def test_registration_dates_stay_around_the_meeting(client, dewi, arrival, message):
    dewi.user = UserFactory(email=dewi.email, role="delegate")
    dewi.save()
    client.force_login(dewi.user)

    response = client.post(
        reverse("delegations:registration", args=[dewi.pk]),
        {**REGISTRATION, "arrival_date": arrival, "departure_date": "2024-08-02"},
    )

    assert response.context["form"].errors["arrival_date"] == [message]
    assert Participant.objects.get(pk=dewi.pk).status == "nominated"
