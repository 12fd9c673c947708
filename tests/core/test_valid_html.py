"""Pages use htmx's data-hx-* attributes, which HTML allows, never bare hx-* ones."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


class Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        self.names.update(f"{tag}[{name}]" for name, _value in attrs)


def bare_htmx(html):
    parser = Attributes()
    parser.feed(html)
    return sorted(name for name in parser.names if "[hx-" in name)


def test_planning_page_has_only_data_hx_attributes(client):
    meeting = MeetingFactory(number=7)
    AgendaSessionFactory(meeting=meeting)
    client.force_login(UserFactory(role="secretariat"))

    page = client.get(reverse("meetings:agenda_plan", args=[7])).content.decode()

    assert "data-hx-headers" in page
    assert "data-hx-get" in page
    assert bare_htmx(page) == []


def test_no_template_writes_a_bare_hx_attribute():
    templates = Path(settings.BASE_DIR) / "templates"
    bare = re.compile(r"(?<![-\w])hx-[a-z-]+=")
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if bare.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
