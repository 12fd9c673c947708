from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ascn_portal.core.models import AuditEntry, OutgoingMail
from meetings.coordination import queries as coordination_queries
from meetings.coordination.services import action_items
from meetings.models import ActionItem
from tests.factories import UserFactory
from tests.factories.coordination import (
    ActionItemFactory,
    CoordinationSessionFactory,
    OrganisationFactory,
)

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def board_titles(response):
    return [
        (status, owner, [item.title for item in items])
        for status, _label, owners in response.context["columns"]
        for owner, items in owners
    ]


@pytest.fixture
def later_session(meeting, chair):
    """The online session of 9 July 2024, after the Jakarta one."""
    return CoordinationSessionFactory(
        meeting=meeting,
        title="Online coordination: Panel 3 speakers",
        chair=chair,
        mode="online",
        place="",
        video_link="https://video.ascn.example/panel-3",
        starts_at=datetime(2024, 7, 9, 7, 0, tzinfo=UTC),
        ends_at=datetime(2024, 7, 9, 9, 0, tzinfo=UTC),
    )


# --- Recording ----------------------------------------------------------------------------


def test_action_item_without_owner_is_refused_with_a_message(client, coordination_session, chair):
    client.force_login(chair)

    response = client.post(
        reverse("meetings:action_create", args=[7, coordination_session.pk]),
        {"action-title": "Send the outline", "action-due_date": "2024-07-05"},
    )

    assert response.status_code == 400
    assert "Name an owner: a person, an organisation or both." in response.content.decode()
    assert ActionItem.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_database_refuses_an_action_item_without_owner(coordination_session):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItemFactory(session=coordination_session, owner_person=None)


def test_item_recorded_in_the_editor_is_open_with_an_audit_entry(
    client, coordination_session, chair, attendee
):
    point = coordination_session.agenda_points.first()
    client.force_login(chair)

    response = client.post(
        reverse("meetings:action_create", args=[7, coordination_session.pk]),
        {
            "action-title": "Send Banyuwangi's Smart Kampung figures",
            "action-agenda_point": str(point.pk),
            "action-owner_person": str(attendee.pk),
            "action-due_date": "2024-07-05",
            "action-notes": "For the Shepherd report.",
        },
    )

    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.session, item.agenda_point, item.owner_person) == (
        coordination_session,
        point,
        attendee,
    )
    assert (item.status, item.due_date, item.closed_at) == ("open", date(2024, 7, 5), None)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "meetings.action_item.create"
    ]


def test_item_stays_open_across_sessions_until_a_later_one_closes_it(
    client, coordination_session, later_session, chair
):
    item = ActionItemFactory(session=coordination_session, title="Send the outline")
    client.force_login(chair)
    editor = reverse("meetings:minutes_editor", args=[7, later_session.pk])

    before = client.get(editor)
    response = client.post(
        reverse("meetings:action_status", args=[7, item.pk]),
        {"status": "done", "next": editor},
        HTTP_HX_REQUEST="true",
    )
    after = client.get(editor)

    assert [i.title for i in before.context["earlier"]] == ["Send the outline"]
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    assert '<option value="done" selected>' in response.content.decode()
    item.refresh_from_db()
    assert item.status == "done"
    assert item.closed_at is not None
    assert list(after.context["earlier"]) == []


def test_reopening_an_item_clears_its_closing_time(coordination_session, chair):
    item = ActionItemFactory(session=coordination_session)
    action_items.set_action_item_status(item, status="dropped", actor=chair)

    assert action_items.set_action_item_status(item, status="open", actor=chair) is True
    assert action_items.set_action_item_status(item, status="open", actor=chair) is False

    item.refresh_from_db()
    assert (item.status, item.closed_at) == ("open", None)


def test_edit_page_moves_the_due_date_and_returns_to_the_board(client, coordination_session, chair):
    item = ActionItemFactory(session=coordination_session, owner_person=chair)
    client.force_login(chair)
    board = reverse("meetings:action_board", args=[7])

    response = client.post(
        reverse("meetings:action_edit", args=[7, item.pk]),
        {
            "title": item.title,
            "owner_person": str(chair.pk),
            "due_date": "2024-07-26",
            "status": "open",
            "next": board,
        },
    )

    assert response.status_code == 302
    assert response.url == board
    item.refresh_from_db()
    assert item.due_date == date(2024, 7, 26)


class FormValues(HTMLParser):
    """What a browser would send back from a page's form, unchanged: each input's value,
    each textarea's text and each select's selected option."""

    def __init__(self):
        super().__init__()
        self.values = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs["value"]
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.lstrip("\n")


def test_due_date_survives_a_save_under_bahasa_indonesia(client, coordination_session):
    owner = UserFactory(role="secretariat", language="id")
    item = ActionItemFactory(
        session=coordination_session, owner_person=owner, due_date=date(2024, 7, 12)
    )
    client.force_login(owner)
    url = reverse("meetings:action_edit", args=[7, item.pk])
    page = client.get(url).content.decode()
    form = FormValues()
    form.feed(page)

    response = client.post(url, form.values)

    assert form.values["due_date"] == "2024-07-12"
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.due_date == date(2024, 7, 12)


# --- The board ----------------------------------------------------------------------------


def test_board_groups_by_status_then_owner_and_filters(
    client, coordination_session, later_session, secretariat, chair, attendee
):
    pacis = OrganisationFactory(name="PACIS")
    ActionItemFactory(session=coordination_session, title="B", owner_person=chair)
    ActionItemFactory(session=coordination_session, title="A", owner_person=attendee)
    ActionItemFactory(session=later_session, title="C", owner_person=None, owner_organisation=pacis)
    ActionItemFactory(
        session=later_session,
        title="D",
        owner_person=attendee,
        status="done",
        closed_at=datetime(2024, 7, 9, tzinfo=UTC),
    )
    client.force_login(secretariat)
    board = reverse("meetings:action_board", args=[7])

    everything = client.get(board)
    by_person = client.get(board, {"person": attendee.pk})
    by_organisation = client.get(board, {"organisation": pacis.pk})
    done = client.get(board, {"status": "done"})

    assert board_titles(everything) == [
        ("open", "Budi Santoso", ["B"]),
        ("open", "Dewi Lestari", ["A"]),
        ("open", "PACIS", ["C"]),
        ("done", "Dewi Lestari", ["D"]),
    ]
    assert board_titles(by_person) == [
        ("open", "Dewi Lestari", ["A"]),
        ("done", "Dewi Lestari", ["D"]),
    ]
    assert board_titles(by_organisation) == [("open", "PACIS", ["C"])]
    assert board_titles(done) == [("done", "Dewi Lestari", ["D"])]
    assert dict(everything.context["form"].fields["person"].choices) == {
        "": "Everyone",
        chair.pk: "Budi Santoso",
        attendee.pk: "Dewi Lestari",
    }


def test_overdue_is_judged_by_the_meeting_s_own_date(meeting, coordination_session):
    # 18 July 2024 at 18:00 UTC is already 19 July, 01:00 in Vientiane.
    now = datetime(2024, 7, 18, 18, 0, tzinfo=UTC)
    due_18 = ActionItemFactory(session=coordination_session, due_date=date(2024, 7, 18))
    due_19 = ActionItemFactory(session=coordination_session, due_date=date(2024, 7, 19))
    done = ActionItemFactory(
        session=coordination_session, due_date=date(2024, 7, 1), status="done", closed_at=now
    )

    today = coordination_queries.local_today(meeting, now)
    coordination_queries.mark_overdue([due_18, due_19, done], today)

    assert today == date(2024, 7, 19)
    assert (due_18.overdue, due_19.overdue, done.overdue) == (True, False, False)


def test_board_highlights_overdue_items(client, coordination_session, secretariat):
    ActionItemFactory(session=coordination_session, title="Late", due_date=date(2024, 7, 1))
    ActionItemFactory(session=coordination_session, title="Later", due_date=date(2099, 1, 1))
    client.force_login(secretariat)

    response = client.get(reverse("meetings:action_board", args=[7]))

    content = response.content.decode()
    assert content.count('<tr class="overdue">') == 1
    assert content.count('class="badge badge--overdue">Overdue</strong>') == 1


# --- Reminders ------------------------------------------------------------------------------


@pytest.fixture
def due_items(coordination_session, chair, attendee):
    """Due dates around 19 July 2024 for owners, done and organisation-only items."""
    pacis = OrganisationFactory(name="PACIS")
    return {
        "soon": ActionItemFactory(
            session=coordination_session, title="Soon", owner_person=attendee,
            due_date=date(2024, 7, 21),
        ),
        "overdue": ActionItemFactory(
            session=coordination_session, title="Late", owner_person=chair,
            due_date=date(2024, 7, 10),
        ),
        "far": ActionItemFactory(
            session=coordination_session, title="Far", owner_person=chair,
            due_date=date(2024, 8, 30),
        ),
        "done": ActionItemFactory(
            session=coordination_session, title="Done", owner_person=chair,
            due_date=date(2024, 7, 10), status="done",
            closed_at=datetime(2024, 7, 9, tzinfo=UTC),
        ),
        "organisation": ActionItemFactory(
            session=coordination_session, title="PACIS's", owner_person=None,
            owner_organisation=pacis, due_date=date(2024, 7, 10),
        ),
    }  # fmt: skip


def local(day, hour):
    """``hour`` o'clock on ``day`` in Vientiane (UTC+7), the meeting's zone."""
    return datetime(2024, 7, day, hour, 0, tzinfo=UTC) - timedelta(hours=7)


def remind(now, capture):
    with capture(execute=True):
        return action_items.send_action_item_reminders(now=now)


def test_reminders_go_once_a_day_per_item_and_never_for_done_ones(
    due_items, smtp_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    remind(local(19, 9), capture)
    remind(local(19, 15), capture)  # the same day, later
    first_day = sorted((m["To"], m["Subject"]) for m in smtp_server.messages)
    smtp_server.clear()
    remind(local(20, 9), capture)
    second_day = sorted((m["To"], m["Subject"]) for m in smtp_server.messages)

    assert first_day == [
        ("budi@ascn.example", "[ASCN Portal] Overdue: Late"),
        ("dewi@ascn.example", "[ASCN Portal] Due soon: Soon"),
    ]
    assert second_day == first_day
    assert sorted(OutgoingMail.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"meetings.action-reminder:{due_items[name].pk}:2024-07-{day}"
        for name in ("soon", "overdue")
        for day in (19, 20)
    )
    late = next(m for m in smtp_server.messages if m["To"] == "budi@ascn.example")
    assert "was due on 10 July 2024, 10 days ago." in smtp_server.body(late)


def test_no_reminders_before_the_meeting_s_morning(
    due_items, smtp_server, django_capture_on_commit_callbacks
):
    remind(local(19, 7), django_capture_on_commit_callbacks)

    assert smtp_server.messages == []
    assert OutgoingMail.objects.count() == 0


def test_reminder_stops_once_the_item_is_done(
    due_items, chair, smtp_server, django_capture_on_commit_callbacks
):
    action_items.set_action_item_status(due_items["overdue"], status="done", actor=chair)

    remind(local(19, 9), django_capture_on_commit_callbacks)

    assert [m["To"] for m in smtp_server.messages] == ["dewi@ascn.example"]


def test_reminder_speaks_the_owner_s_language(
    coordination_session, smtp_server, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="budi.id@ascn.example", language="id")
    ActionItemFactory(
        session=coordination_session, title="Kirim laporan", owner_person=owner,
        due_date=date(2024, 7, 19),
    )  # fmt: skip

    remind(local(19, 9), django_capture_on_commit_callbacks)

    [message] = smtp_server.messages
    assert message["Subject"] == "[ASCN Portal] Jatuh tempo segera: Kirim laporan"


def test_refused_item_keeps_the_editor_s_links_on_the_editor(
    client, coordination_session, later_session, chair
):
    ActionItemFactory(session=coordination_session, title="Earlier")
    client.force_login(chair)

    response = client.post(
        reverse("meetings:action_create", args=[7, later_session.pk]),
        {"action-title": "No owner"},
    )

    editor = reverse("meetings:minutes_editor", args=[7, later_session.pk])
    assert response.status_code == 400
    assert f'name="next" value="{editor}"' in response.content.decode()


@pytest.mark.parametrize(
    "next_value", ["abc", "home", "//evil.example/", "https://evil.example/", "javascript:x"]
)
def test_next_that_is_not_a_path_of_the_site_returns_to_the_board(
    client, coordination_session, chair, next_value
):
    item = ActionItemFactory(session=coordination_session, owner_person=chair)
    client.force_login(chair)

    response = client.post(
        reverse("meetings:action_status", args=[7, item.pk]),
        {"status": "done", "next": next_value},
    )

    assert response.status_code == 302
    assert response.url == reverse("meetings:action_board", args=[7])
    item.refresh_from_db()
    assert item.status == "done"
