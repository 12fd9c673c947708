"""A change notice reads in one language: the recipient's."""

from datetime import datetime, timedelta

import pytest

from ascn_portal.core.models import OutgoingMail
from meetings.agenda import services
from tests.core.test_document_languages import (
    ENGLISH_CALENDAR,
    INDONESIAN_CALENDAR,
    catalogue_pairs,
    foreign,
)
from tests.factories import UserFactory
from tests.factories.delegations import delegate_at
from tests.factories.meetings import AgendaSessionFactory, RoomFactory

pytestmark = pytest.mark.django_db


def test_change_notices_hold_no_string_of_the_other_language(
    meeting, django_capture_on_commit_callbacks
):
    hall = RoomFactory(meeting=meeting, name="Plenary Hall")
    session = AgendaSessionFactory(
        meeting=meeting, title="Plenary", room=hall, visibility="participants",
        starts_at=datetime(2024, 7, 31, 10, 15, tzinfo=meeting.zone),
        ends_at=datetime(2024, 7, 31, 12, 0, tzinfo=meeting.zone),
    )  # fmt: skip
    secretariat = UserFactory(role="secretariat")
    dewi = delegate_at(meeting, language="id", time_zone="Asia/Jakarta")
    budi = delegate_at(meeting, language="en", time_zone="Asia/Seoul")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)
    session.starts_at += timedelta(minutes=30)
    session.ends_at += timedelta(minutes=30)
    session.title = "Plenary: partnerships"
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)

    indonesian = OutgoingMail.objects.get(to=[dewi.email])
    english = OutgoingMail.objects.get(to=[budi.email])
    names = [dewi.full_name, budi.full_name, meeting.title, "Plenary Hall"]
    # The product's name in the subject prefix is a name, not a phrase.
    entered = " | ".join([*names, "Plenary: partnerships", "[ASCN Portal]"])
    pairs = catalogue_pairs()

    for text in (indonesian.subject, indonesian.body_text, indonesian.body_html):
        assert foreign(pairs, text, entered, english=True) == []
        assert [word for word in ENGLISH_CALENDAR if word in text] == []
    for text in (english.subject, english.body_text, english.body_html):
        assert foreign(pairs, text, entered, english=False) == []
        assert [word for word in INDONESIAN_CALENDAR if word in text] == []
    assert "Rab 31 Jul, 10:15–12:00 (Asia/Vientiane)" in indonesian.body_text
    assert "(Asia/Jakarta)" in indonesian.body_text
    assert "Wed 31 Jul, 10:45–12:30 (Asia/Vientiane)" in english.body_text
