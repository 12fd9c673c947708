import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "serayu-river-flood-2024"


def request_reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email}, follow=True)


def reset_link(inbox, message):
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", inbox.body(message))


def test_password_reset_mail_leaves_over_smtp_and_its_link_sets_new_password(client, smtp_server):
    user = UserFactory(email="dewi@ascn.example")

    request_reset(client, "dewi@ascn.example")

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "dewi@ascn.example"
    assert message["Subject"] == "[ASCN Portal] Password Reset Email"
    link = reset_link(smtp_server, message)
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password is now changed." in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_link_cannot_be_used_twice(client, smtp_server):
    user = UserFactory()
    request_reset(client, user.email)
    path = reset_link(smtp_server, smtp_server.messages[0]).group(1)
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    response = client.get(path, follow=True)

    assert "The password reset link was invalid" in response.content.decode()


def test_password_reset_link_expired_shows_message_and_keeps_password(
    client, smtp_server, settings
):
    user = UserFactory()
    request_reset(client, user.email)
    path = reset_link(smtp_server, smtp_server.messages[0]).group(1)
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link issued so far has expired

    response = client.get(path, follow=True)

    assert "The password reset link was invalid" in response.content.decode()
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_password_reset_for_unknown_address_reveals_nothing(client, smtp_server):
    response = request_reset(client, "nobody@ascn.example")

    assert response.redirect_chain[-1][0] == reverse("account_reset_password_done")
    assert [m["To"] for m in smtp_server.messages] == ["nobody@ascn.example"]
    assert "/accounts/password/reset/key/" not in smtp_server.body(smtp_server.messages[0])
