import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("account_login")
WRONG_CREDENTIALS = "The email address and/or password you specified are not correct."


def login(client, email, password):
    return client.post(LOGIN_URL, {"login": email, "password": password}, follow=True)


def test_login_with_email_and_password_lands_on_role_dashboard(client):
    user = UserFactory(role="delegate", full_name="Dewi Lestari")

    response = login(client, user.email, PASSWORD)

    assert response.redirect_chain[-1][0] == reverse("dashboards:home")
    assert response.context["user"] == user
    assert "Welcome, Dewi Lestari." in response.content.decode()


def test_login_ignores_case_of_email(client):
    user = UserFactory(email="dewi@ascn.example")

    response = login(client, "Dewi@ASCN.example", PASSWORD)

    assert response.context["user"] == user


@pytest.mark.parametrize(
    ("email", "password"),
    [("dewi@ascn.example", "wrong-password-123"), ("nobody@ascn.example", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_login_refused_shows_message_and_no_session(client, email, password):
    UserFactory(email="dewi@ascn.example")

    response = login(client, email, password)

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert "_auth_user_id" not in client.session


def test_login_rate_limited_after_five_failures_even_with_right_password(client):
    user = UserFactory()
    for _attempt in range(5):
        login(client, user.email, "wrong-password-123")

    response = login(client, user.email, PASSWORD)

    assert "Too many failed login attempts. Try again in 5 minutes." in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_logout_ends_session(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("account_logout"), follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboards:home")).status_code == 302


def test_inactive_account_cannot_log_in(client):
    user = UserFactory(is_active=False)

    response = login(client, user.email, PASSWORD)

    assert not response.context["user"].is_authenticated


def test_signup_closed_without_invitation(client):
    signup = reverse("account_signup")

    page = client.get(signup)
    response = client.post(
        signup,
        {"email": "stranger@ascn.example", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert "Sign-up is by invitation" in page.content.decode()
    assert "Sign-up is by invitation" in response.content.decode()
    assert not get_user_model().objects.filter(email="stranger@ascn.example").exists()


def _admit(client, email):
    """What the invitation view does once it has checked the token."""
    session = client.session
    session["account_verified_email"] = email
    session.save()


def test_signup_open_for_admitted_invitee_with_address_verified(client):
    _admit(client, "invitee@ascn.example")

    response = client.post(
        reverse("account_signup"),
        {"email": "invitee@ascn.example", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )

    user = get_user_model().objects.get(email="invitee@ascn.example")
    assert response.context["user"] == user
    assert list(user.emailaddress_set.values_list("email", "verified", "primary")) == [
        ("invitee@ascn.example", True, True)
    ]


def test_signup_for_invitee_refuses_another_address(client):
    _admit(client, "invitee@ascn.example")

    response = client.post(
        reverse("account_signup"),
        {"email": "someone-else@ascn.example", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert (
        "Use the address your invitation was sent to: invitee@ascn.example"
        in response.content.decode()
    )
    assert not get_user_model().objects.exists()


def test_admin_login_is_the_portal_login_with_its_rate_limit(client):
    user = UserFactory(role="", is_staff=True, is_superuser=True)
    for _attempt in range(15):
        client.post(
            reverse("admin:login"),
            {"username": user.email, "password": "wrong-password-123"},
        )
        login(client, user.email, "wrong-password-123")

    through_admin = client.post(
        reverse("admin:login"), {"username": user.email, "password": PASSWORD}
    )
    through_portal = login(client, user.email, PASSWORD)

    assert through_admin.status_code == 302
    assert through_admin.url.startswith(LOGIN_URL)
    assert (
        "Too many failed login attempts. Try again in 5 minutes." in through_portal.content.decode()
    )
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_behind_a_proxy_one_client_locked_out_does_not_lock_out_the_others(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for attempt in range(10):
        client.post(
            LOGIN_URL,
            {"login": f"nobody{attempt}@ascn.example", "password": "wrong-password-123"},
            HTTP_X_FORWARDED_FOR="203.0.113.66",
            **proxy,
        )
    user = UserFactory()

    attacker = client.post(
        LOGIN_URL,
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
        **proxy,
    )
    someone_else = client.post(
        LOGIN_URL,
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )

    assert "Too many failed login attempts" in attacker.content.decode()
    assert someone_else.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
