import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.ASCN_REQUIRE_MFA = True


def test_secretariat_without_totp_is_sent_to_setup(client, mfa_required):
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("dashboards:home"), follow=True)

    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200
    assert "Secretariat accounts need two-factor authentication." in response.content.decode()


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
