from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ascn_portal.core.models import AuditEntry
from pilots import services
from pilots.models import ProgressUpdate
from tests.factories import UserFactory

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def post_update(client, project, **data):
    return client.post(reverse("pilots:progress_create", args=[project.pk]), data)


def test_update_with_status_change_moves_the_project_and_is_audited(
    client, focal_point, makassar_project
):
    client.force_login(focal_point)

    response = post_update(
        client,
        makassar_project,
        date="2024-07-09",
        note="No co-financing found; on hold.",
        new_status="stalled",
    )

    assert response.url == makassar_project.get_absolute_url()
    makassar_project.refresh_from_db()
    assert makassar_project.status == "stalled"
    update = ProgressUpdate.objects.get()
    assert (update.date, update.previous_status, update.new_status, update.author) == (
        date(2024, 7, 9),
        "ongoing",
        "stalled",
        focal_point,
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.obj, entry.data) == (
        "pilots.project.progress",
        focal_point,
        makassar_project,
        {"update": update.pk, "date": "2024-07-09", "status": ["ongoing", "stalled"]},
    )


def test_update_without_status_change_keeps_the_status(client, makassar_project):
    client.force_login(UserFactory(role="secretariat"))

    post_update(client, makassar_project, date="2024-07-09", note="Met the city.", new_status="")

    makassar_project.refresh_from_db()
    assert makassar_project.status == "ongoing"
    assert ProgressUpdate.objects.get().new_status == ""
    assert AuditEntry.objects.get().data["status"] is None


def test_update_to_the_same_status_records_no_change(makassar_project):
    update = services.add_progress_update(
        makassar_project, date=date(2024, 7, 9), note="Still on.", new_status="ongoing", actor=None
    )

    assert (update.previous_status, update.new_status) == ("ongoing", "")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"note": ""}, "note", "This field is required."),
        ({"date": "9 July"}, "date", "Enter a valid date."),
        (
            {"new_status": "abandoned"},
            "new_status",
            "Select a valid choice. abandoned is not one of the available choices.",
        ),
    ],
)
def test_bad_update_shows_the_error_and_writes_nothing(
    client, focal_point, makassar_project, data, field, message
):
    client.force_login(focal_point)

    response = post_update(
        client,
        makassar_project,
        **{"date": "2024-07-09", "note": "Heard.", "new_status": "completed", **data},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    makassar_project.refresh_from_db()
    assert makassar_project.status == "ongoing"
    assert ProgressUpdate.objects.count() == 0
    assert AuditEntry.objects.count() == 0


# The form compares dates in the person's own zone (Asia/Jakarta, UTC+7), so the
# edges are the hours where that day differs from UTC's: late UTC evening is already
# tomorrow in Jakarta.
@pytest.mark.parametrize(
    "utc_clock", ["2026-11-30T00:30Z", "2026-11-30T16:30Z", "2026-11-30T23:30Z"]
)
def test_update_cannot_be_dated_in_the_future(client, focal_point, makassar_project, utc_clock):
    client.force_login(focal_point)
    with time_machine.travel(utc_clock, tick=False):
        today_there = timezone.localdate(timezone=ZoneInfo(focal_point.time_zone))
        tomorrow_there = today_there + timedelta(days=1)

        refused = post_update(
            client, makassar_project, date=tomorrow_there.isoformat(), note="Soon."
        )
        accepted = post_update(client, makassar_project, date=today_there.isoformat(), note="Now.")

    assert refused.context["form"].errors["date"] == ["The date cannot be in the future."]
    assert accepted.status_code == 302
    assert list(ProgressUpdate.objects.values_list("date", flat=True)) == [today_there]


def test_progress_notes_are_for_those_who_keep_the_project(client, focal_point, makassar_project):
    services.add_progress_update(
        makassar_project, date=date(2024, 7, 9), note="Internal follow-up note.", actor=None
    )

    public = client.get(makassar_project.get_absolute_url()).content.decode()
    client.force_login(focal_point)
    own = client.get(makassar_project.get_absolute_url()).content.decode()

    assert ("Internal follow-up note." in public, "Internal follow-up note." in own) == (
        False,
        True,
    )
    assert "9 July 2024" in public  # the date of the last update is public


def test_progress_update_is_post_only(client, focal_point, makassar_project):
    client.force_login(focal_point)

    response = client.get(reverse("pilots:progress_create", args=[makassar_project.pk]))

    assert response.status_code == 405
