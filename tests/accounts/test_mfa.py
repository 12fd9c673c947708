import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
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


def set_up_page(client, user):
    """Signed in, password confirmed again (allauth asks before two-factor set-up)."""
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client.get(reverse("mfa_activate_totp")).content.decode()


def secret_on(page):
    return re.search(r'<code id="authenticator-secret">([A-Z2-7]+)</code>', page).group(1)


def test_totp_setup_keeps_its_secret_until_confirmed(client, mfa_required):
    user = UserFactory(role="secretariat")
    url = reverse("mfa_activate_totp")
    first = set_up_page(client, user)

    reloaded = client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": url})
    switched = client.get(url).content.decode()

    assert secret_on(first) == secret_on(reloaded) == secret_on(switched)
    assert "otpauth://totp/" in first
    assert f"secret={secret_on(first)}" in first.replace("&amp;", "&")
    # The app, set up from the first page, gives a code the set-up accepts.
    counter = next(yield_hotp_counters_from_time())
    response = client.post(url, {"code": format_hotp_value(hotp_value(secret_on(first), counter))})
    assert response.status_code == 302
    assert user.authenticator_set.filter(type="totp").exists()


def test_totp_code_field_opens_a_numeric_keypad(client, mfa_required):
    page = set_up_page(client, UserFactory(role="secretariat"))

    field = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in field
    assert 'autocomplete="one-time-code"' in field
