import io

import pytest
from django.core.management import call_command

from ascn_portal.accounts.models import User
from meetings.coordination.queries import overdue_items
from meetings.models import ActionItem, CoordinationSession, MinutesVersion

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def load(capture):
    with capture(execute=True):
        call_command("load_demo", stdout=io.StringIO())


def test_demo_tells_the_three_sessions_of_2024_and_runs_again_unchanged(
    django_capture_on_commit_callbacks,
):
    load(django_capture_on_commit_callbacks)
    first = (
        list(CoordinationSession.objects.values_list("title", "mode", "chair__email")),
        list(ActionItem.objects.order_by("pk").values_list("title", "status")),
        MinutesVersion.objects.count(),
    )
    load(django_capture_on_commit_callbacks)

    assert first[0] == [
        (
            "Coordination meeting on facilitating Indonesia's ASCN membership",
            "in_person",
            "nr.indonesia@ascn.example",
        ),
        (
            "Online coordination: substance of the Panel 3 speakers",
            "online",
            "moderator@ascn.example",
        ),
        ("Online coordination: UNESCAP's planned presentation", "online", "moderator@ascn.example"),
    ]
    assert first[2] == 3
    assert (
        list(CoordinationSession.objects.values_list("title", "mode", "chair__email")),
        list(ActionItem.objects.order_by("pk").values_list("title", "status")),
        MinutesVersion.objects.count(),
    ) == first
    statuses = [status for _title, status in first[1]]
    assert statuses.count("open") == 1
    assert statuses.count("done") == 6


def test_demo_minutes_are_rendered_and_the_delegate_owns_the_overdue_item(
    django_capture_on_commit_callbacks,
):
    load(django_capture_on_commit_callbacks)

    assert {v.document.status for v in MinutesVersion.objects.select_related("document")} == {
        "ready"
    }
    secretariat = User.objects.get(email="secretariat@ascn.example")
    [item], total = overdue_items(secretariat)
    assert total == 1
    assert item.owner_person.email == "delegate@ascn.example"
    assert item.title == "Send a one-page update on Smart Kampung for the Shepherd's report"
