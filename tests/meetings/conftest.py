import pytest

from tests.factories.meetings import MeetingFactory


@pytest.fixture
def meeting():
    """The 7th meeting, published; planning tests override it with a draft."""
    return MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")
