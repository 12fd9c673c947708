"""The secretariat sets up a meeting's delegations in the portal."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ascn_portal.core.models import AuditEntry, OutgoingMail
from ascn_portal.core.tokens import hash_token
from delegations import services
from delegations.models import Delegation, RepresentativeInvitation
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.pilots import ASEAN, member_state

pytestmark = pytest.mark.django_db

TEN = [
    "Brunei Darussalam",
    "Cambodia",
    "Indonesia",
    "Lao PDR",
    "Malaysia",
    "Myanmar",
    "Philippines",
    "Singapore",
    "Thailand",
    "Viet Nam",
]


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat", full_name="Nadia Rahman")


@pytest.fixture
def meeting():
    for code in ASEAN:
        member_state(code)
    return MeetingFactory()


def names(meeting):
    return list(Delegation.objects.filter(meeting=meeting).values_list("name", flat=True))


def test_member_states_are_created_in_asean_order_once(client, secretariat, meeting):
    client.force_login(secretariat)
    url = reverse("delegations:setup_member_states", args=[meeting.number])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert names(meeting) == TEN
    assert "10 member states&#x27; delegations are created." in first.content.decode()
    assert "Every member state already has its delegation." in second.content.decode()
    assert AuditEntry.objects.filter(action="delegations.delegation.create").count() == 10
    page = client.get(reverse("delegations:setup", args=[meeting.number])).content.decode()
    assert re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page) == TEN


def test_member_states_keep_an_existing_delegation(client, secretariat, meeting):
    DelegationFactory(meeting=meeting, country=member_state("ID"), name="Indonesia", quota=4)
    client.force_login(secretariat)

    client.post(reverse("delegations:setup_member_states", args=[meeting.number]))

    assert names(meeting) == TEN
    assert Delegation.objects.get(meeting=meeting, name="Indonesia").quota == 4


def test_non_state_delegation_is_added_after_the_member_states(client, secretariat, meeting):
    DelegationFactory(meeting=meeting, country=member_state("VN"), name="Viet Nam")
    client.force_login(secretariat)

    response = client.post(
        reverse("delegations:setup_add", args=[meeting.number]),
        {"kind": "international", "country": "", "name": "UNESCAP", "quota": "3"},
        follow=True,
    )

    assert "The delegation UNESCAP is added." in response.content.decode()
    assert names(meeting) == ["Viet Nam", "UNESCAP"]
    assert Delegation.objects.get(name="UNESCAP").kind == "international"


def test_duplicate_delegation_is_refused_in_the_page(client, secretariat, meeting):
    DelegationFactory(meeting=meeting, country=None, name="UNESCAP")
    client.force_login(secretariat)

    response = client.post(
        reverse("delegations:setup_add", args=[meeting.number]),
        {"kind": "international", "country": "", "name": "unescap", "quota": "3"},
    )

    assert response.status_code == 200
    assert "This meeting already has a delegation named unescap." in response.content.decode()
    assert names(meeting) == ["UNESCAP"]


def test_member_state_delegation_needs_a_member_state(client, secretariat, meeting):
    client.force_login(secretariat)

    response = client.post(
        reverse("delegations:setup_add", args=[meeting.number]),
        {"kind": "member_state", "country": "", "name": "Somewhere", "quota": "3"},
    )

    assert "A member state&#x27;s delegation needs its ASEAN member state." in (
        response.content.decode()
    )
    assert names(meeting) == []


def edit(client, delegation, **data):
    form = {
        "kind": delegation.kind,
        "country": delegation.country_id or "",
        "name": delegation.name,
        "quota": delegation.quota,
        "head": "",
        "save_delegation": "1",
    }
    form.update(data)
    return client.post(reverse("delegations:setup_edit", args=[delegation.pk]), form, follow=True)


def test_quota_and_head_are_changed(client, secretariat):
    delegation = DelegationFactory(name="Lao PDR", quota=10)
    old_head = ParticipantFactory(delegation=delegation, role="head")
    new_head = ParticipantFactory(delegation=delegation, full_name="Souk Phommachanh")
    client.force_login(secretariat)

    response = edit(client, delegation, quota=6, head=new_head.pk)

    assert "The delegation Lao PDR is saved." in response.content.decode()
    delegation.refresh_from_db()
    old_head.refresh_from_db()
    new_head.refresh_from_db()
    assert (delegation.quota, old_head.role, new_head.role) == (6, "member", "head")


def test_quota_below_the_registered_count_is_refused_with_the_numbers(client, secretariat):
    delegation = DelegationFactory(name="Lao PDR", quota=5)
    ParticipantFactory.create_batch(3, delegation=delegation, status="registered")
    client.force_login(secretariat)

    response = edit(client, delegation, quota=2)

    assert (
        "3 people of this delegation are registered already, so its quota cannot be lower "
        "than 3 (you asked for 2). Withdraw someone first."
    ) in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.quota == 5
    assert not AuditEntry.objects.filter(action="delegations.delegation.change").exists()


def test_quota_is_bounded(client, secretariat):
    delegation = DelegationFactory(name="Lao PDR", quota=5)
    client.force_login(secretariat)

    response = edit(client, delegation, quota=100000)

    assert response.status_code == 200
    delegation.refresh_from_db()
    assert delegation.quota == 5


def test_representative_chosen_from_the_accounts_is_told(
    client, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(name="Indonesia")
    budi = UserFactory(email="budi@kemendagri.example", full_name="Budi Santoso")
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("delegations:setup_representative", args=[delegation.pk]),
            {"email": "Budi@Kemendagri.example", "full_name": "", "language": "en"},
            follow=True,
        )

    assert "Budi Santoso is the National Representative of Indonesia" in (response.content.decode())
    delegation.refresh_from_db()
    assert delegation.national_representative == budi
    [message] = smtp_server.messages
    assert message["To"] == "budi@kemendagri.example"
    assert "You manage the delegation of Indonesia" in message["Subject"]


def test_representative_at_a_new_address_needs_a_name_and_nothing_is_sent(
    client, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(name="Indonesia")
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("delegations:setup_representative", args=[delegation.pk]),
            {"email": "rina@kemendagri.example", "full_name": "", "language": "en"},
        )

    assert response.status_code == 200
    assert "No account uses this address yet: give their full name" in response.content.decode()
    assert smtp_server.messages == []
    assert not delegation.representative_invitations.exists()


def test_representative_invited_by_email_signs_up_and_manages_the_delegation(
    client, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(name="Indonesia", country=member_state("ID"))
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("delegations:setup_representative", args=[delegation.pk]),
            {
                "email": "Rina@Kemendagri.example",
                "full_name": "Rina Wulandari",
                "language": "id",
            },
        )
    [message] = smtp_server.messages
    assert message["To"] == "rina@kemendagri.example"
    path = re.search(
        r"http://[^/\s]+(/delegations/representative/\S+/)", smtp_server.body(message)
    )[1]
    stored = OutgoingMail.objects.get()
    assert path not in stored.body_text + stored.body_html  # the link left with the mail
    assert stored.secrets == {}
    client.logout()

    to_signup = client.get(path)
    assert to_signup.url.startswith(reverse("account_signup"))
    client.post(
        to_signup.url,
        {"email": "rina@kemendagri.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    landed = client.get(path)

    rina = get_user_model().objects.get(email="rina@kemendagri.example")
    delegation.refresh_from_db()
    assert landed.url == delegation.get_absolute_url()
    assert delegation.national_representative == rina
    assert (rina.full_name, rina.language, rina.time_zone) == (
        "Rina Wulandari",
        "id",
        "Asia/Jakarta",
    )
    assert client.get(path).status_code == 410  # used once
    assert client.get(delegation.get_absolute_url()).status_code == 200


def test_representative_link_refused_for_another_account(
    client, secretariat, smtp_server, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(name="Indonesia")
    with django_capture_on_commit_callbacks(execute=True):
        services.setup.invite_representative(
            delegation, email="rina@kemendagri.example", actor=secretariat
        )
    [message] = smtp_server.messages
    token = re.search(r"/delegations/representative/(\S+)/", smtp_server.body(message))[1]
    assert RepresentativeInvitation.objects.get().token_hash == hash_token(token)
    client.force_login(UserFactory(email="other@example.org"))

    response = client.get(reverse("delegations:representative_invitation", args=[token]))

    assert response.status_code == 403
    delegation.refresh_from_db()
    assert delegation.national_representative is None
    assert RepresentativeInvitation.objects.get().used_at is None


ANON, OTHER_NR, OWN_NR = "anonymous", "another delegation's NR", "own NR"


@pytest.mark.parametrize("who", [ANON, OTHER_NR, OWN_NR])
def test_only_the_secretariat_sets_up_delegations(client, meeting, who):
    own = DelegationFactory(
        meeting=meeting,
        country=member_state("ID"),
        name="Indonesia",
        quota=5,
        national_representative=UserFactory(),
    )
    other = DelegationFactory(
        meeting=meeting,
        country=member_state("TH"),
        name="Thailand",
        national_representative=UserFactory(),
    )
    if who == OWN_NR:
        client.force_login(own.national_representative)
    elif who == OTHER_NR:
        client.force_login(other.national_representative)

    responses = [
        client.get(reverse("delegations:setup", args=[meeting.number])),
        client.post(reverse("delegations:setup_member_states", args=[meeting.number])),
        client.post(
            reverse("delegations:setup_add", args=[meeting.number]),
            {"kind": "academia", "name": "PACIS", "quota": "3"},
        ),
        edit(client, own, quota=50),
        client.post(
            reverse("delegations:setup_representative", args=[own.pk]),
            {"email": "x@example.org", "language": "en"},
        ),
    ]

    expected = 302 if who == ANON else 403
    assert [response.status_code for response in responses][:3] == [expected] * 3
    assert names(meeting) == ["Indonesia", "Thailand"]
    own.refresh_from_db()
    assert own.quota == 5
    assert not RepresentativeInvitation.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_setup_page_links_from_home_and_meeting(client, secretariat, meeting):
    client.force_login(secretariat)
    url = reverse("delegations:setup", args=[meeting.number])

    assert url in client.get(reverse("dashboards:home")).content.decode()
    assert url in client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.parametrize("size", [2, 12])
def test_setup_page_query_count(client, secretariat, meeting, size, django_assert_num_queries):
    for index in range(size):
        delegation = Delegation.objects.create(
            meeting=meeting,
            name=f"Body {index}",
            kind="academia",
            national_representative=UserFactory(),
        )
        ParticipantFactory(delegation=delegation, role="head")
    client.force_login(secretariat)

    with django_assert_num_queries(5):
        response = client.get(reverse("delegations:setup", args=[meeting.number]))

    assert len(response.context["rows"]) == size
    assert all(head is not None for _delegation, head in response.context["rows"])


@pytest.mark.parametrize("size", [2, 40])
def test_setup_edit_page_query_count(client, secretariat, size, django_assert_num_queries):
    delegation = DelegationFactory(name="Lao PDR", quota=100)
    ParticipantFactory.create_batch(size, delegation=delegation)
    UserFactory.create_batch(size)
    client.force_login(secretariat)

    with django_assert_num_queries(7):  # one address field, no list of every account
        response = client.get(reverse("delegations:setup_edit", args=[delegation.pk]))

    assert len(response.context["form"].fields["head"].queryset) == size
