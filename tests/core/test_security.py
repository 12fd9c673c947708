import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_carry_csp_without_inline_script_or_style(client):
    response = client.get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_contain_no_inline_script_or_style(client):
    client.force_login(UserFactory(role="delegate"))

    for url in (reverse("home"), reverse("account_login"), reverse("dashboards:home")):
        content = client.get(url).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)", content) == []
        assert "style=" not in content
        assert "<style" not in content


def test_tampered_csrf_token_gets_clear_page_and_no_login():
    UserFactory(email="dewi@ascn.example")
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))

    response = client.post(
        reverse("account_login"),
        {"login": "dewi@ascn.example", "password": PASSWORD, "csrfmiddlewaretoken": "x" * 64},
    )

    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_user_text_is_escaped_in_pages(client):
    client.force_login(UserFactory(role="delegate", full_name='<script>alert("x")</script>'))

    response = client.get(reverse("dashboards:home"))

    content = response.content.decode()
    assert '<script>alert("x")</script>' not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content


def test_unknown_page_gets_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
