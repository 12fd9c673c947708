from datetime import date, timedelta

import pytest
from django.urls import reverse

from panels import services
from panels.models import TalkingPoints
from tests.factories import UserFactory
from tests.factories.panels import PanelFactory, SpeakerFactory

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

POINTS = {
    "challenges": "Data sits with different agencies.",
    "opportunities": "Regional guidelines as a common reference.",
    "benefits": "Partners align their support.",
    "recommendations": "A collaborative partnership of dialogue partners.",
}


def test_speaker_saves_a_draft_then_submits(client, unescap):
    client.force_login(unescap.user)
    url = reverse("panels:points", args=[unescap.panel.pk])

    draft = client.post(url, {**POINTS, "draft": "1"}, follow=True)
    points = TalkingPoints.objects.get(speaker=unescap)
    assert "Your draft is saved." in draft.content.decode()
    assert points.submitted_at is None

    submitted = client.post(url, {**POINTS, "submit": "1"}, follow=True)
    points.refresh_from_db()
    assert "Your points are submitted to the moderator." in submitted.content.decode()
    assert points.submitted_at is not None
    assert points.recommendations == POINTS["recommendations"]


def test_speaker_page_shows_objectives_and_the_other_speakers(client, ese, unescap):
    unescap.panel.objectives.create(position=1, text="Offer references to ASEAN cities.")
    client.force_login(unescap.user)

    page = client.get(reverse("panels:points", args=[unescap.panel.pk])).content.decode()

    assert "Offer references to ASEAN cities." in page
    assert "Minjun Park" in page
    assert "Budgets end with the pilot." not in page  # others' points stay with the moderator


def test_a_speaker_cannot_reach_another_panels_points(client, ese):
    other_panel = PanelFactory(conference=ese.panel.conference, number=1)
    SpeakerFactory(panel=other_panel)
    client.force_login(ese.user)

    assert client.get(reverse("panels:points", args=[other_panel.pk])).status_code == 404
    assert client.post(reverse("panels:points", args=[other_panel.pk]), POINTS).status_code == 404


def test_a_speaker_edits_only_their_own_points(client, ese, unescap):
    client.force_login(unescap.user)

    client.post(reverse("panels:points", args=[unescap.panel.pk]), {**POINTS, "submit": "1"})

    ese.points.refresh_from_db()
    assert ese.points.challenges == "Budgets end with the pilot."
    assert TalkingPoints.objects.get(speaker=unescap).challenges == POINTS["challenges"]


def test_locked_brief_freezes_the_points(client, ese):
    services.lock_brief(ese.panel, actor=ese.panel.moderator)
    client.force_login(ese.user)

    page = client.post(
        reverse("panels:points", args=[ese.panel.pk]), {**POINTS, "submit": "1"}
    ).content.decode()

    ese.points.refresh_from_db()
    assert "The moderator has locked the brief" in page
    assert ese.points.challenges == "Budgets end with the pilot."


def test_speaker_confirms(client, unescap):
    client.force_login(unescap.user)

    client.post(reverse("panels:speaker_confirm", args=[unescap.panel.pk]))

    unescap.refresh_from_db()
    assert unescap.confirmed_at is not None


@pytest.mark.parametrize("speakers", [2, 20])
def test_points_page_query_count_is_fixed(client, panel, speakers, django_assert_max_num_queries):
    own, *_others = [SpeakerFactory(panel=panel) for _ in range(speakers)]
    client.force_login(own.user)

    # Of them: the projects one may cite, and the person's hats (one query per request).
    with django_assert_max_num_queries(11):
        assert client.get(reverse("panels:points", args=[panel.pk])).status_code == 200


# --- Reminders ----------------------------------------------------------------------------


def test_reminders_go_once_a_day_to_those_who_have_not_submitted(
    ese, unescap, smtp_server, django_capture_on_commit_callbacks
):
    panel = unescap.panel
    panel.points_due = date(2024, 7, 19)
    panel.save()
    day = date(2024, 7, 15)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_points_reminders(today=day)
        services.send_points_reminders(today=day)
    assert [m["To"] for m in smtp_server.messages] == ["priya@unescap.example"]
    assert "Reminder: your talking points for panel 3" in smtp_server.messages[0]["Subject"]

    with django_capture_on_commit_callbacks(execute=True):
        services.send_points_reminders(today=day + timedelta(days=5))  # overdue now
    assert len(smtp_server.messages) == 2
    assert "were due on 19 July 2024" in smtp_server.body(smtp_server.messages[1])


def test_no_reminder_long_before_the_due_date_or_once_locked(
    unescap, smtp_server, django_capture_on_commit_callbacks
):
    panel = unescap.panel
    panel.points_due = date(2024, 7, 19)
    panel.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.send_points_reminders(today=date(2024, 7, 1))
        services.lock_brief(panel, actor=None)
        services.send_points_reminders(today=date(2024, 7, 18))

    assert smtp_server.messages == []


def test_nobody_else_is_reminded(unescap, smtp_server, django_capture_on_commit_callbacks):
    UserFactory(role="speaker")  # not on any panel
    with django_capture_on_commit_callbacks(execute=True):
        services.send_points_reminders(today=date(2024, 7, 15))
    assert smtp_server.messages == []  # no due date set on the panel


def test_points_cite_partnership_projects_into_the_brief(
    client, unescap, django_capture_on_commit_callbacks
):
    from tests.factories.pilots import PartnershipProjectFactory, PilotCityFactory

    banyumas = PilotCityFactory(name="Banyumas")
    project = PartnershipProjectFactory(city=banyumas, title="Serayu river control centre")
    client.force_login(unescap.user)

    client.post(
        reverse("panels:points", args=[unescap.panel.pk]),
        {**POINTS, "projects": [str(project.pk)], "submit": "1"},
    )

    assert list(TalkingPoints.objects.get(speaker=unescap).projects.all()) == [project]
    client.force_login(unescap.panel.moderator)
    composer = client.get(reverse("panels:composer", args=[unescap.panel.pk])).content.decode()
    assert "Serayu river control centre" in composer
    with django_capture_on_commit_callbacks(execute=True):
        version = services.save_brief_version(unescap.panel, actor=None)
    [cited] = version.content["speakers"][0]["projects"]
    assert (cited["title"], cited["city"]) == ("Serayu river control centre", "Banyumas")


def test_talking_points_are_bounded_in_length(client, unescap):
    client.force_login(unescap.user)
    url = reverse("panels:points", args=[unescap.panel.pk])

    response = client.post(url, {**POINTS, "challenges": "x" * 1_000_000, "submit": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors["challenges"] == [
        "Ensure this value has at most 4000 characters (it has 1000000)."
    ]
    assert not TalkingPoints.objects.filter(speaker=unescap).exists()
