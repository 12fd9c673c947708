"""An action item's owner moves it along (open, in progress, done) with a note; its
page shows who changed what and when; the board links to it."""

import re

import pytest
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from meetings.models import ActionItem
from tests.factories import UserFactory
from tests.factories.coordination import ActionItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def minjun():
    return UserFactory(role="speaker", email="minjun@ese.example", full_name="Minjun Park")


@pytest.fixture
def item(coordination_session, minjun):
    return ActionItemFactory(
        session=coordination_session, title="Send the slides", owner_person=minjun
    )


def change(client, item, **data):
    return client.post(
        reverse("meetings:action_status", args=[item.session.meeting.number, item.pk]),
        data,
        follow=True,
    )


def test_owner_moves_the_item_along_with_notes_and_history(client, item, minjun):
    client.force_login(minjun)

    change(client, item, status="in_progress", note="Draft shared with PACIS.")
    response = change(client, item, status="done", note="Slides sent on 8 July.")

    item.refresh_from_db()
    assert item.status == "done"
    assert item.closed_at is not None
    assert "“Send the slides” is now done." in response.content.decode()
    page = client.get(
        reverse("meetings:action_detail", args=[item.session.meeting.number, item.pk])
    ).content.decode()
    history = re.findall(r"Minjun Park ·\s+(status: [^<\n]+)", page)
    assert history == ["status: In progress → Done", "status: Open → In progress"]
    assert "<q>Slides sent on 8 July.</q>" in page
    assert list(
        AuditEntry.objects.filter(action="meetings.action_item.status")
        .order_by("pk")
        .values_list("actor__email", "data")
    ) == [
        (
            "minjun@ese.example",
            {"from": "open", "to": "in_progress", "note": "Draft shared with PACIS."},
        ),
        (
            "minjun@ese.example",
            {"from": "in_progress", "to": "done", "note": "Slides sent on 8 July."},
        ),
    ]


def test_owner_cannot_drop_the_item(client, item, minjun):
    client.force_login(minjun)

    response = change(client, item, status="dropped")

    assert "Choose one of the statuses offered." in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == "open"
    assert not AuditEntry.objects.filter(action="meetings.action_item.status").exists()


@pytest.mark.parametrize(("who", "code"), [("attendee", 403), ("outsider", 404)])
def test_another_person_cannot_change_the_owners_item(client, item, attendee, who, code):
    person = attendee if who == "attendee" else UserFactory(email="outsider@ascn.example")
    client.force_login(person)

    response = client.post(
        reverse("meetings:action_status", args=[item.session.meeting.number, item.pk]),
        {"status": "done", "note": "Not mine."},
    )

    assert response.status_code == code
    assert ActionItem.objects.get(pk=item.pk).status == "open"
    assert not AuditEntry.objects.filter(action="meetings.action_item.status").exists()


def test_owner_page_offers_only_the_owners_statuses(client, item, minjun):
    client.force_login(minjun)

    response = client.get(
        reverse("meetings:action_detail", args=[item.session.meeting.number, item.pk])
    )

    form = response.context["form"]
    assert [value for value, _label in form.fields["status"].choices] == [
        "open",
        "in_progress",
        "done",
    ]
    assert response.context["can_edit"] is False


def test_board_rows_link_to_the_item(client, item, minjun):
    client.force_login(minjun)

    page = client.get(
        reverse("meetings:action_board", args=[item.session.meeting.number])
    ).content.decode()

    assert (
        f'href="{reverse("meetings:action_detail", args=[item.session.meeting.number, item.pk])}"'
        in page
    )


def test_item_page_is_404_for_an_outsider(client, item):
    client.force_login(UserFactory(email="outsider@ascn.example"))

    response = client.get(
        reverse("meetings:action_detail", args=[item.session.meeting.number, item.pk])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("changes", [1, 20])
def test_item_page_query_count(client, item, minjun, changes, django_assert_num_queries):
    client.force_login(minjun)
    for index in range(changes):
        change(client, item, status="in_progress" if index % 2 == 0 else "open", note=f"n{index}")

    # No model permissions are read for an owner who is not staff (accounts/backends.py).
    with django_assert_num_queries(7):
        client.get(reverse("meetings:action_detail", args=[item.session.meeting.number, item.pk]))
