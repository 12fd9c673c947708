import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.ASCN_REQUIRE_MFA = True


def test_secretariat_without_totp_is_sent_to_setup(client, mfa_required):
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("dashboards:home"), follow=True)

    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200
    assert (
        "Secretariat and administration accounts need two-factor authentication."
        in response.content.decode()
    )


def test_secretariat_without_totp_cannot_reach_admin(client, mfa_required):
    client.force_login(UserFactory(role="secretariat", is_staff=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_secretariat_with_totp_reaches_dashboard(client, mfa_required):
    user = UserFactory(role="secretariat")
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)

    response = client.get(reverse("dashboards:home"))

    assert response.status_code == 200


def test_secretariat_reaches_dashboard_when_flag_off(client, settings):
    settings.ASCN_REQUIRE_MFA = False
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("dashboards:home"))

    assert response.status_code == 200


def test_other_roles_not_forced_into_mfa(client, mfa_required):
    client.force_login(UserFactory(role="delegate"))

    response = client.get(reverse("dashboards:home"))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "flags",
    [{"is_staff": True}, {"is_staff": True, "is_superuser": True}],
    ids=["staff", "superuser"],
)
def test_admin_account_without_totp_is_sent_to_setup(client, mfa_required, flags):
    client.force_login(UserFactory(role="", **flags))

    for url in (reverse("admin:index"), reverse("core:outbox_list"), reverse("dashboards:home")):
        response = client.get(url)

        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")


def test_superuser_signing_in_at_admin_login_must_set_up_totp(client, mfa_required):
    user = UserFactory(role="", is_staff=True, is_superuser=True)

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    admin = client.get(reverse("admin:index"))

    assert (reverse("mfa_activate_totp"), 302) in response.redirect_chain
    assert admin.url == reverse("mfa_activate_totp")


def test_staff_with_totp_cannot_skip_second_factor_through_admin_login(client, mfa_required):
    user = UserFactory(role="", is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())

    response = client.post(
        reverse("admin:login"),
        {"username": user.email, "password": PASSWORD, "next": reverse("admin:index")},
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    # Through the portal's login the password leads to the second factor, not in.
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
