import io

import pytest
from django.core.management import call_command

from delegations.models import Participant
from meetings.models import AgendaVersion
from panels.models import BriefVersion, Panel, Speaker

pytestmark = pytest.mark.django_db


def counts():
    return (
        Participant.objects.count(),
        AgendaVersion.objects.count(),
        Panel.objects.count(),
        Speaker.objects.count(),
        BriefVersion.objects.count(),
    )


def test_demo_loads_the_2024_story_and_loads_again_without_duplicates():
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    call_command("load_demo", stdout=io.StringIO())

    assert counts() == first
    panel = Panel.objects.get(conference__meeting__number=7, number=3)
    assert panel.moderator.email == "moderator@ascn.example"
    assert panel.objectives.count() == 3
    assert panel.coordination_sessions.count() == 2  # the online sessions of 9 and 12 July
    assert sorted(panel.speakers.values_list("organisation__name", flat=True)) == [
        "ESE Co. Ltd.",
        "UNESCAP",
    ]
    assert all(s.points.submitted_at for s in panel.speakers.all())
    assert sum(panel.segments.values_list("minutes", flat=True)) == panel.slot_minutes == 75
    assert "Banyumas" in panel.brief_versions.get().content["speakers"][0]["points"][1]["text"]
