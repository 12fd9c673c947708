import pytest
from django.urls import reverse

from ascn_portal.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def switch_language(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_language_switch_is_remembered_on_the_account(client):
    user = UserFactory(role="delegate", language="en")
    client.force_login(user)

    switch_language(client, "id")
    client.logout()
    client.cookies.clear()  # a new browser: no session and no language cookie
    client.force_login(user)
    response = client.get(reverse("dashboards:home"))

    user.refresh_from_db()
    assert user.language == "id"
    assert "<h1>Beranda</h1>" in response.content.decode()
    assert response.headers["Content-Language"] == "id"


def test_language_switch_for_visitor_uses_cookie(client):
    switch_language(client, "id")

    response = client.get(reverse("home"))

    assert response.headers["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


def test_language_switch_refuses_unoffered_language(client):
    user = UserFactory(language="en")
    client.force_login(user)

    switch_language(client, "fr")

    assert User.objects.get(pk=user.pk).language == "en"


def test_times_are_shown_in_the_persons_zone(client):
    client.force_login(UserFactory(role="delegate", time_zone="Asia/Vientiane"))

    response = client.get(reverse("dashboards:home"))

    assert "Times are shown in Asia/Vientiane." in response.content.decode()


def test_visible_to_limits_accounts_to_own_unless_secretariat():
    from django.http import Http404

    from ascn_portal.core.permissions import get_visible_or_404

    delegate = UserFactory(role="delegate")
    other = UserFactory(role="delegate")
    secretariat = UserFactory(role="secretariat")

    assert get_visible_or_404(User.objects, delegate, pk=delegate.pk) == delegate
    assert get_visible_or_404(User.objects, secretariat, pk=other.pk) == other
    with pytest.raises(Http404):
        get_visible_or_404(User.objects, delegate, pk=other.pk)
