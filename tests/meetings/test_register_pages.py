"""The documents a session page and a panel page list: constant queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.agenda.services import publish_agenda
from meetings.register import services
from meetings.register.enums import Distribution, VersionChange
from tests.factories.delegations import delegate_at
from tests.factories.meetings import MeetingFactory
from tests.factories.panels import ConferenceFactory, PanelFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_documents(meeting, session, count):
    for n in range(count):
        document = services.register_document(
            meeting,
            series="CRP",
            title=f"Slides {n}",
            upload=SimpleUploadedFile("s.pdf", PDF_BYTES),
            language="en",
            distribution=Distribution.NATIONAL_REPRESENTATIVES if n % 3 == 0 else "participants",
            agenda_session=session,
            actor=None,
        )
        services.add_file(
            document,
            upload=SimpleUploadedFile("s.pdf", PDF_BYTES),
            language="en",
            change=VersionChange.REVISION,
            actor=None,
        )


def queries_and_listed(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["documents"])


def test_session_and_panel_pages_cost_the_same_for_2_or_20_documents(client):
    meeting = MeetingFactory(number=7, status="published")
    panel = PanelFactory(conference=ConferenceFactory(meeting=meeting))
    panel.agenda_session.visibility = "public"
    panel.agenda_session.save()
    publish_agenda(meeting, actor=None)
    client.force_login(delegate_at(meeting))
    urls = [
        reverse("panels:detail", args=[panel.pk]),
        reverse("meetings:agenda_session", args=[7, panel.agenda_session_id]),
    ]

    add_documents(meeting, panel.agenda_session, 3)
    small = [queries_and_listed(client, url) for url in urls]
    add_documents(meeting, panel.agenda_session, 27)
    large = [queries_and_listed(client, url) for url in urls]

    # A delegate reads the participants' two of every three, never the NR-only third.
    assert [listed for _queries, listed in small] == [2, 2]
    assert [listed for _queries, listed in large] == [20, 20]
    assert [q for q, _listed in large] == [q for q, _listed in small]
