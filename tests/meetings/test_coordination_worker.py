"""Minutes published on a real Celery worker: the PDF rendered, then mailed with it."""

import io

import pytest
from django.db import transaction
from pypdf import PdfReader

from ascn_portal.core.enums import DocumentStatus
from ascn_portal.core.models import GeneratedDocument
from meetings.coordination.services import minutes
from meetings.models import AgendaPoint
from tests.celery_worker import wait_until
from tests.factories import UserFactory
from tests.factories.coordination import (
    ActionItemFactory,
    AgendaPointFactory,
    AttendanceFactory,
    CoordinationSessionFactory,
    OrganisationFactory,
)
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.redis


def test_worker_renders_the_minutes_and_mails_them_to_those_present(celery_worker, worker_smtp):
    chair = UserFactory(role="moderator", email="ratna@pacis.example", full_name="Ratna Wijaya")
    meeting = MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")
    session = CoordinationSessionFactory(
        meeting=meeting,
        title="Online coordination: substance of the Panel 3 speakers",
        chair=chair,
        mode="online",
        place="",
        video_link="https://video.ascn.example/panel-3",
    )
    ese = OrganisationFactory(name="ESE Co. Ltd.")
    AttendanceFactory(session=session, person=chair, name=chair.full_name, email=chair.email)
    AttendanceFactory(session=session, name="Minjun Park", email="minjun@ese.example",
                      organisation=ese, status="online")  # fmt: skip
    AttendanceFactory(session=session, name="Absent Person", email="absent@ascn.example",
                      status="absent")  # fmt: skip
    objectives = AgendaPointFactory(session=session, position=1, title="Objectives of Panel 3")
    AgendaPointFactory(session=session, position=2, title="ESE Co. Ltd.: points")
    AgendaPoint.objects.filter(pk=objectives.pk).update(
        discussion="Offer references to ASEAN cities.\n\nStrengthen partnerships.",
        decisions="Speakers frame challenges, opportunities and benefits.",
    )
    ActionItemFactory(session=session, title="Send the slides", owner_person=None,
                      owner_organisation=ese)  # fmt: skip
    minutes.approve_minutes(session, actor=chair)

    with transaction.atomic():
        version = minutes.publish_minutes(session, actor=chair)

    wait_until(
        lambda: (
            GeneratedDocument.objects.get(pk=version.document_id).status != DocumentStatus.PENDING
        ),
        timeout=60,
        message="the minutes rendered",
    )
    wait_until(lambda: len(worker_smtp.messages) == 2, timeout=60, message="two messages")
    document = GeneratedDocument.objects.get(pk=version.document_id)
    assert document.status == DocumentStatus.READY, document.error
    pdf = document.file.open("rb").read()
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Agenda item 1: Objectives of Panel 3" in text
    assert "1. Offer references to ASEAN cities." in text
    assert "2. Strengthen partnerships." in text
    assert "3. Speakers frame challenges, opportunities and benefits." in text
    assert "1 Send the slides ESE Co. Ltd. 19 Jul 2024 Open" in text
    assert sorted(m["To"] for m in worker_smtp.messages) == [
        "minjun@ese.example",
        "ratna@pacis.example",
    ]
    for message in worker_smtp.messages:
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content() == pdf
