import pytest

from tests.factories import UserFactory
from tests.factories.panels import PanelFactory, SpeakerFactory, TalkingPointsFactory


@pytest.fixture
def panel():
    return PanelFactory(number=3, title="Forging Partnerships")


@pytest.fixture
def ese(panel):
    """A speaker who submitted points."""
    user = UserFactory(role="speaker", full_name="Minjun Park", email="speaker@ese.example")
    speaker = SpeakerFactory(panel=panel, user=user, name="Minjun Park", position=1)
    TalkingPointsFactory(speaker=speaker, submitted_at="2024-07-12T08:00:00Z")
    return speaker


@pytest.fixture
def unescap(panel):
    """A speaker who has not written anything yet."""
    user = UserFactory(role="speaker", full_name="Priya Raman", email="priya@unescap.example")
    return SpeakerFactory(panel=panel, user=user, name="Priya Raman", position=2)
