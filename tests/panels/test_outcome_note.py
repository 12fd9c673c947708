"""The moderator's outcome note: written once the panel has begun, for the report."""

import pytest
import time_machine
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from panels.models import Panel
from tests.factories import UserFactory
from tests.factories.panels import PanelFactory

pytestmark = pytest.mark.django_db

# The panel fixture's slot: 13:30-14:45 on 31 July 2024 in Luang Prabang (06:30 UTC).
BEFORE = "2024-07-31 06:00Z"
DURING = "2024-07-31 07:00Z"


def _url(panel):
    return reverse("panels:outcome_note", args=[panel.pk])


@time_machine.travel(DURING)
def test_moderator_writes_the_note_from_the_composer_and_it_is_audited(client, panel):
    client.force_login(panel.moderator)
    composer = client.get(reverse("panels:composer", args=[panel.pk])).content.decode()
    assert _url(panel) in composer

    response = client.post(_url(panel), {"outcome_note": "Cities asked for guidelines."})

    assert response.status_code == 302
    assert Panel.objects.get(pk=panel.pk).outcome_note == "Cities asked for guidelines."
    assert AuditEntry.objects.filter(action="panels.panel.outcome_note").count() == 1


@time_machine.travel(BEFORE)
def test_no_note_before_the_panel_begins(client, panel):
    client.force_login(panel.moderator)
    composer = client.get(reverse("panels:composer", args=[panel.pk])).content.decode()
    assert _url(panel) not in composer
    assert client.post(_url(panel), {"outcome_note": "Too early."}).status_code == 404
    assert Panel.objects.get(pk=panel.pk).outcome_note == ""


@time_machine.travel(DURING)
def test_others_get_404_and_the_secretariat_may_write(client, panel, ese):
    for person in [ese.user, UserFactory(role="moderator")]:
        client.force_login(person)
        assert client.get(_url(panel)).status_code == 404
        assert client.post(_url(panel), {"outcome_note": "Mine."}).status_code == 404
    client.force_login(UserFactory(role="secretariat"))
    assert client.post(_url(panel), {"outcome_note": "Noted."}).status_code == 302
    assert AuditEntry.objects.filter(action="panels.panel.outcome_note").count() == 1


@time_machine.travel(DURING)
def test_too_long_a_note_is_refused_in_the_page_and_kept(client, panel):
    client.force_login(panel.moderator)
    response = client.post(_url(panel), {"outcome_note": "x" * 3001})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 3000 characters" in page
    assert "x" * 3001 in page
    assert Panel.objects.get(pk=panel.pk).outcome_note == ""


@time_machine.travel(DURING)
@pytest.mark.parametrize("panels", [1, 6])
def test_note_page_queries_do_not_grow(client, panel, panels, django_assert_max_num_queries):
    for _n in range(panels):
        PanelFactory(conference=panel.conference, moderator=panel.moderator)
    client.force_login(panel.moderator)
    with django_assert_max_num_queries(8):
        assert client.get(_url(panel)).status_code == 200
