import io

import pytest
from django.core.management import call_command

from ascn_portal.accounts.models import User
from delegations.models import Participant
from meetings.models import AgendaVersion, Meeting
from panels.models import BriefVersion, Panel, Speaker, TalkingPoints
from tests.factories import UserFactory

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
    again = io.StringIO()
    call_command("load_demo", stdout=again)

    assert counts() == first
    assert "the demo loads into an empty database only, so nothing was changed" in (
        again.getvalue()
    )
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


def test_demo_never_overwrites_peoples_work():
    call_command("load_demo", stdout=io.StringIO())
    replaced = Participant.objects.filter(status="invited").first()
    Participant.objects.filter(pk=replaced.pk).update(status="replaced", status_reason="Posted")
    points = TalkingPoints.objects.first()
    TalkingPoints.objects.filter(pk=points.pk).update(challenges="My own words")

    call_command("load_demo", stdout=io.StringIO())

    replaced.refresh_from_db()
    points.refresh_from_db()
    assert (replaced.status, replaced.status_reason) == ("replaced", "Posted")
    assert points.challenges == "My own words"


def test_demo_does_not_load_into_a_database_with_accounts():
    UserFactory(email="someone@ministry.example")

    call_command("load_demo", stdout=io.StringIO())

    assert not Meeting.objects.exists()
    assert not User.objects.filter(email__endswith="@ascn.example").exists()


def test_demo_states_agree():
    call_command("load_demo", stdout=io.StringIO())

    registered = Participant.objects.filter(status="registered")
    assert registered.exists()
    assert not registered.filter(registration__isnull=True).exists()
    eighth = Meeting.objects.get(number=8)
    assert (eighth.status, eighth.venue, eighth.registration_closes.year) == (
        "closed",
        "Kuala Lumpur, Malaysia",
        2025,
    )
    # One seat per person: nobody registered in a seat someone else replaced them in.
    assert not Participant.objects.filter(status="registered", replaced_by__isnull=False).exists()
