"""My account: who a person is, their language and zone; and the account an
invitation creates."""

import re

import pytest
from django.urls import reverse

from ascn_portal.accounts.models import User
from ascn_portal.accounts.zones import country_zone
from ascn_portal.core.models import AuditEntry
from delegations import services
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.coordination import OrganisationFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "honorific": "Ms",
    "full_name": "Dewi Lestari",
    "position": "Chief Smart City Officer",
    "organisation": "Banyuwangi Regency Government",
    "phone": "+62 811 000",
    "language": "id",
    "time_zone": "Asia/Makassar",
}


def test_profile_saves_name_language_and_zone(client, django_assert_max_num_queries):
    person = UserFactory(role="", full_name="D. L.", language="en", time_zone="UTC")
    client.force_login(person)

    with django_assert_max_num_queries(9):
        page = client.get(reverse("dashboards:account"))
    response = client.post(reverse("dashboards:account"), PROFILE, follow=True)

    person.refresh_from_db()
    assert page.status_code == 200
    assert {name: getattr(person, name) for name in PROFILE} == PROFILE
    # The new language speaks at once.
    assert "Akun Anda telah disimpan." in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.profile.update").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus_Mons"), ("language", "fr"), ("full_name", "")],
)
def test_profile_refuses_an_unknown_zone_or_language_with_a_form_error(client, field, value):
    person = UserFactory(role="", full_name="Dewi Lestari", language="en", time_zone="UTC")
    client.force_login(person)

    response = client.post(reverse("dashboards:account"), {**PROFILE, field: value})

    person.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert (person.full_name, person.language, person.time_zone) == ("Dewi Lestari", "en", "UTC")
    assert not AuditEntry.objects.filter(action="accounts.profile.update").exists()


def test_organisation_is_read_only_where_a_delegation_sets_it(client):
    person = UserFactory(role="", organisation="")
    ParticipantFactory(
        delegation__name="Indonesia",
        user=person,
        status="registered",
        organisation=OrganisationFactory(name="Makassar City Government"),
    )
    client.force_login(person)

    page = client.get(reverse("dashboards:account"))
    client.post(reverse("dashboards:account"), {**PROFILE, "organisation": "Somewhere else"})

    person.refresh_from_db()
    field = page.context["form"]["organisation"]
    assert field.field.disabled
    assert field.value() == "Makassar City Government"
    assert person.organisation == "Makassar City Government"


def test_country_zone_comes_from_the_iana_database():
    assert [country_zone(code) for code in ("ID", "LA", "VN", "KR", None)] == [
        "Asia/Jakarta",
        "Asia/Vientiane",
        "Asia/Ho_Chi_Minh",
        "Asia/Seoul",
        "UTC",
    ]


def test_account_from_an_invitation_starts_with_the_participants_name_language_and_zone(
    client, smtp_server, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(meeting=MeetingFactory(number=7, status="published"))
    dewi = ParticipantFactory(
        delegation=delegation,
        honorific="Ms",
        full_name="Dewi Lestari",
        email="dewi@banyuwangi.example",
        position="Chief Smart City Officer",
        organisation=OrganisationFactory(name="Banyuwangi Regency Government"),
        phone="+62 811",
        language="id",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations.invite([dewi], actor=None)
    [message] = smtp_server.messages
    path = re.search(r"http://[^/\s]+(/delegations/invitation/\S+/)", smtp_server.body(message))[1]

    to_signup = client.get(path)
    signup_page = client.get(to_signup.url)
    client.post(
        to_signup.url,
        {"email": "dewi@banyuwangi.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    registration = client.get(path, follow=True)

    account = User.objects.get(email="dewi@banyuwangi.example")
    assert (
        account.honorific,
        account.full_name,
        account.position,
        account.organisation,
        account.phone,
        account.language,
        account.time_zone,
    ) == (
        "Ms",
        "Dewi Lestari",
        "Chief Smart City Officer",
        "Banyuwangi Regency Government",
        "+62 811",
        "id",
        country_zone(delegation.country.code),
    )
    # Sign-up and registration speak the invitee's language.
    assert signup_page.headers["Content-Language"] == "id"
    assert registration.headers["Content-Language"] == "id"
    assert "Pendaftaran untuk" in registration.content.decode()


def test_language_chosen_before_logging_in_wins_and_is_saved(client):
    person = UserFactory(role="", email="budi@ascn.example", language="en")
    client.post(reverse("set_language"), {"language": "id", "next": "/"})

    response = client.post(
        reverse("account_login"),
        {"login": "budi@ascn.example", "password": PASSWORD},
        follow=True,
    )

    person.refresh_from_db()
    assert person.language == "id"
    assert response.headers["Content-Language"] == "id"
    assert "<h1>Beranda</h1>" in response.content.decode()


def test_e_mail_change_waits_for_the_new_address_to_confirm(client, smtp_server):
    from allauth.account.models import EmailAddress

    person = UserFactory(role="", email="dewi@ascn.example", full_name="Dewi Lestari")
    client.force_login(person)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "dewi@banyuwangi.example"}
    )

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.email == "dewi@ascn.example"
    assert sorted(
        EmailAddress.objects.filter(user=person).values_list("email", "verified", "primary")
    ) == [("dewi@ascn.example", True, True), ("dewi@banyuwangi.example", False, False)]
    [message] = smtp_server.messages
    assert message["To"] == "dewi@banyuwangi.example"
