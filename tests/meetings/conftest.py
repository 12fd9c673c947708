from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import UserFactory
from tests.factories.coordination import AgendaPointFactory, CoordinationSessionFactory
from tests.factories.meetings import MeetingFactory


@pytest.fixture
def meeting():
    """The 7th meeting, published; planning tests override it with a draft."""
    return MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat", email="nadia@ascn.example", full_name="Nadia Rahman")


@pytest.fixture
def chair():
    return UserFactory(
        role="national_representative", email="budi@ascn.example", full_name="Budi Santoso"
    )


@pytest.fixture
def attendee():
    return UserFactory(role="delegate", email="dewi@ascn.example", full_name="Dewi Lestari")


@pytest.fixture
def coordination_session(meeting, chair, attendee):
    """The 24-26 June 2024 coordination meeting in Jakarta: one invitee, two points."""
    session = CoordinationSessionFactory(
        meeting=meeting,
        title="Coordination on Indonesia's ASCN membership",
        chair=chair,
        ends_at=datetime(2024, 6, 26, 16, 0, tzinfo=ZoneInfo("Asia/Jakarta")),
    )
    session.invited_people.add(attendee)
    AgendaPointFactory(session=session, position=1, title="Indonesia as ASCN Shepherd")
    AgendaPointFactory(session=session, position=2, title="Preparations for Luang Prabang")
    return session
