import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from ascn_portal.core.enums import DocumentStatus
from ascn_portal.core.models import AuditEntry, OutgoingMail
from meetings.coordination.forms import PointMinutesFormSet
from meetings.coordination.services import action_items, minutes
from meetings.coordination.services import sessions as coordination
from meetings.models import AgendaPoint, MinutesVersion
from tests.factories.coordination import (
    ActionItemFactory,
    AttendanceFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def pdf_text(document):
    """The PDF's text with runs of white space as one space: line breaks fall where
    the layout puts them."""
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    reader = PdfReader(io.BytesIO(document.file.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def recorded(coordination_session, attendee, chair):
    """Minutes with attendance, discussion, decisions and two action items."""
    pacis = OrganisationFactory(name="PACIS")
    banyuwangi = OrganisationFactory(name="Banyuwangi Regency Government")
    AttendanceFactory(
        session=coordination_session, person=chair, name="Budi Santoso", email=chair.email
    )
    AttendanceFactory(
        session=coordination_session,
        person=attendee,
        name="Dewi Lestari",
        email=attendee.email,
        organisation=banyuwangi,
        status="online",
    )
    AttendanceFactory(
        session=coordination_session,
        name="Ratna Wijaya",
        email="ratna@pacis.example",
        organisation=pacis,
    )
    AttendanceFactory(session=coordination_session, name="Agus Pratama", status="excused")
    first, second = coordination_session.agenda_points.all()
    AgendaPoint.objects.filter(pk=first.pk).update(
        discussion="The Shepherd keeps the pilot cities going.\n\nPACIS offered its studies.",
        decisions="Indonesia reports on the pilot cities at the annual meeting.",
    )
    AgendaPoint.objects.filter(pk=second.pk).update(
        discussion="Delegation of eight, led by the Ministry of Home Affairs.",
        decisions="Banyuwangi presents Smart Kampung.\nSumedang attends as a candidate.",
    )
    ActionItemFactory(
        session=coordination_session,
        agenda_point=first,
        title="Send the Shepherd report outline",
        owner_person=chair,
        due_date=date(2024, 7, 5),
    )
    ActionItemFactory(
        session=coordination_session,
        agenda_point=second,
        title="Confirm the city presentations",
        owner_person=None,
        owner_organisation=banyuwangi,
        due_date=date(2024, 7, 12),
    )
    return coordination_session


def publish(session, actor, capture):
    minutes.approve_minutes(session, actor=actor)
    with capture(execute=True):
        return minutes.publish_minutes(session, actor=actor)


def test_draft_approve_publish_then_correction_makes_version_two(
    recorded, chair, django_capture_on_commit_callbacks
):
    first = publish(recorded, chair, django_capture_on_commit_callbacks)
    first_content = MinutesVersion.objects.get(pk=first.pk).content

    minutes.start_correction(recorded, note="Sumedang's status corrected.", actor=chair)
    AgendaPoint.objects.filter(session=recorded, position=2).update(
        decisions="Banyuwangi presents Smart Kampung.\nSumedang attends as an observer."
    )
    second = publish(recorded, chair, django_capture_on_commit_callbacks)

    assert (first.number, second.number) == (1, 2)
    assert MinutesVersion.objects.get(pk=first.pk).content == first_content
    assert first_content["points"][1]["decisions"] == [
        "Banyuwangi presents Smart Kampung.",
        "Sumedang attends as a candidate.",
    ]
    assert second.content["points"][1]["decisions"][1] == "Sumedang attends as an observer."
    assert second.correction_note == "Sumedang's status corrected."
    assert first.correction_note == ""
    assert recorded.minutes.__class__.objects.get(session=recorded).status == "published"
    assert list(
        AuditEntry.objects.filter(action__startswith="meetings.minutes.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "meetings.minutes.approve",
        "meetings.minutes.publish",
        "meetings.minutes.correct",
        "meetings.minutes.approve",
        "meetings.minutes.publish",
    ]


def test_version_one_stays_readable_after_a_correction(
    client, recorded, chair, attendee, django_capture_on_commit_callbacks
):
    publish(recorded, chair, django_capture_on_commit_callbacks)
    minutes.start_correction(recorded, note="Typo.", actor=chair)
    AgendaPoint.objects.filter(session=recorded, position=1).update(title="Indonesia, Shepherd")
    publish(recorded, chair, django_capture_on_commit_callbacks)
    client.force_login(attendee)

    old = client.get(
        reverse("meetings:minutes_version", args=[7, recorded.pk, 1]), HTTP_ACCEPT_LANGUAGE="en"
    )
    latest = client.get(reverse("meetings:minutes_published", args=[7, recorded.pk]))

    assert old.status_code == 200
    assert "Agenda item 1: Indonesia as ASCN Shepherd" in old.content.decode()
    assert "it has been corrected since" in old.content.decode()
    assert "Agenda item 1: Indonesia, Shepherd" in latest.content.decode()
    assert "Corrected: Typo." in latest.content.decode()


@pytest.mark.parametrize("status", ["approved", "published"])
def test_editing_minutes_that_are_not_a_draft_is_refused(
    recorded, chair, status, django_capture_on_commit_callbacks
):
    minutes.approve_minutes(recorded, actor=chair)
    if status == "published":
        with django_capture_on_commit_callbacks(execute=True):
            minutes.publish_minutes(recorded, actor=chair)
    point = recorded.agenda_points.first()
    formset = PointMinutesFormSet(
        {
            "points-TOTAL_FORMS": "1",
            "points-INITIAL_FORMS": "1",
            "points-0-id": str(point.pk),
            "points-0-discussion": "Rewritten after the fact.",
            "points-0-decisions": "",
        },
        queryset=AgendaPoint.objects.filter(pk=point.pk),
        prefix="points",
    )
    assert formset.is_valid()
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError, match=f"The minutes are {status}"):
        minutes.save_point_minutes(recorded, formset=formset, actor=chair)
    with pytest.raises(ValidationError, match=f"The minutes are {status}"):
        coordination.delete_agenda_point(point, actor=chair)

    point.refresh_from_db()
    assert point.discussion.startswith("The Shepherd keeps")
    assert recorded.agenda_points.count() == 2
    assert AuditEntry.objects.count() == audit_before


def test_publishing_a_draft_is_refused(recorded, chair):
    with pytest.raises(ValidationError, match="Only approved minutes can be published"):
        minutes.publish_minutes(recorded, actor=chair)

    assert MinutesVersion.objects.count() == 0


def test_minutes_pdf_has_numbered_paragraphs_attendance_and_action_table(
    recorded, chair, django_capture_on_commit_callbacks
):
    version = publish(recorded, chair, django_capture_on_commit_callbacks)

    text = pdf_text(version.document)
    assert "RECORD OF MEETING" in text.upper()
    assert "Coordination on Indonesia's ASCN membership" in text
    assert "Date Monday 24 June 2024, 09:00 – Wednesday 26 June 2024, 16:00 (Asia/" in text
    assert "In person" in text
    assert "Ministry of Home Affairs, Jakarta" in text
    # Attendance grouped by organisation; apologies apart.
    assert "Banyuwangi Regency Government Dewi Lestari (present online)" in text
    assert "PACIS Ratna Wijaya (present in person)" in text
    assert "Apologies: Agus Pratama" in text
    # Paragraphs numbered through the whole record, decisions included.
    assert "Agenda item 1: Indonesia as ASCN Shepherd" in text
    assert "1. The Shepherd keeps the pilot cities going." in text
    assert "2. PACIS offered its studies." in text
    assert "3. Indonesia reports on the pilot cities at the annual meeting." in text
    assert "4. Delegation of eight, led by the Ministry of Home Affairs." in text
    assert "6. Sumedang attends as a candidate." in text
    # The action table: number, action, owner, due date, status.
    assert "1 Send the Shepherd report outline (item 1) Budi Santoso 5 Jul 2024 Open" in text
    assert (
        "2 Confirm the city presentations (item 2) Banyuwangi Regency Government 12 Jul 2024 Open"
        in text
    )
    assert "Page 2 of 2" in text


def test_publication_mails_the_pdf_to_those_present_only(
    recorded, chair, smtp_server, django_capture_on_commit_callbacks
):
    version = publish(recorded, chair, django_capture_on_commit_callbacks)

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "budi@ascn.example",
        "dewi@ascn.example",
        "ratna@pacis.example",
    ]
    message = next(m for m in smtp_server.messages if m["To"] == "ratna@pacis.example")
    assert message["Subject"] == (
        "[ASCN Portal] Minutes: Coordination on Indonesia's ASCN membership (version 1)"
    )
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"minutes-{recorded.pk}-v1.pdf"
    version.document.refresh_from_db()
    assert attachment.get_content() == version.document.file.open("rb").read()
    # A guest has no account: no portal link, the attachment is the copy.
    assert "/record/" not in smtp_server.body(message)
    dewi = next(m for m in smtp_server.messages if m["To"] == "dewi@ascn.example")
    assert f"/meetings/7/coordination/{recorded.pk}/record/v1/" in smtp_server.body(dewi)


def test_publication_mail_sent_once_however_often_the_task_runs(
    recorded, chair, django_capture_on_commit_callbacks
):
    version = publish(recorded, chair, django_capture_on_commit_callbacks)

    assert minutes.mail_published_minutes(version.pk) is True
    assert minutes.mail_published_minutes(version.pk) is True

    assert OutgoingMail.objects.filter(idempotency_key__startswith="meetings.minutes:").count() == 3


def test_publication_mail_waits_for_a_pending_pdf_then_goes_without_it(recorded, chair):
    minutes.approve_minutes(recorded, actor=chair)
    version = minutes.publish_minutes(recorded, actor=chair)  # on_commit never runs here

    assert minutes.mail_published_minutes(version.pk) is False
    assert OutgoingMail.objects.count() == 0

    assert minutes.mail_published_minutes(version.pk, give_up=True) is True
    mail = OutgoingMail.objects.get(to=["dewi@ascn.example"])
    assert mail.attachments.count() == 0
    assert "The PDF could not be attached" in mail.body_text
    assert f"/documents/{version.document_id}/" in mail.body_text


# --- The editor's forms ---------------------------------------------------------------------


def attendance_data(rows, initial=0):
    data = {"attendance-TOTAL_FORMS": str(len(rows)), "attendance-INITIAL_FORMS": str(initial)}
    for n, row in enumerate(rows):
        data.update({f"attendance-{n}-{name}": value for name, value in row.items()})
    return data


def test_attendance_saved_from_the_editor_takes_a_person_s_name(
    client, coordination_session, chair, attendee
):
    pacis = OrganisationFactory(name="PACIS")
    client.force_login(chair)

    response = client.post(
        reverse("meetings:minutes_attendance", args=[7, coordination_session.pk]),
        attendance_data(
            [
                {"person": str(attendee.pk), "name": "", "organisation": "", "status": "online"},
                {"person": "", "name": "Ratna Wijaya", "organisation": str(pacis.pk),
                 "status": "excused"},
            ]
        ),
    )  # fmt: skip

    assert response.status_code == 302
    assert list(
        coordination_session.attendance.order_by("name").values_list(
            "person", "name", "email", "organisation", "status"
        )
    ) == [
        (attendee.pk, "Dewi Lestari", "dewi@ascn.example", None, "online"),
        (None, "Ratna Wijaya", "", pacis.pk, "excused"),
    ]


def test_attendance_row_without_a_name_or_person_is_refused(client, coordination_session, chair):
    client.force_login(chair)

    response = client.post(
        reverse("meetings:minutes_attendance", args=[7, coordination_session.pk]),
        attendance_data([{"person": "", "name": "", "organisation": "", "status": "absent"}]),
    )

    assert response.status_code == 400
    assert "Give a name, or choose a person with an account." in response.content.decode()
    assert coordination_session.attendance.count() == 0


def test_everyone_invited_is_listed_once(client, coordination_session, chair):
    coordination_session.guests.create(name="Priya Raman", email="priya.raman@unescap.example")
    client.force_login(chair)
    url = reverse("meetings:minutes_prefill", args=[7, coordination_session.pk])

    client.post(url)
    client.post(url)

    assert sorted(coordination_session.attendance.values_list("name", "status")) == [
        ("Budi Santoso", "in_person"),
        ("Dewi Lestari", "in_person"),
        ("Priya Raman", "in_person"),
    ]


def test_discussion_and_decisions_saved_from_the_editor(client, coordination_session, chair):
    first, second = coordination_session.agenda_points.all()
    client.force_login(chair)

    response = client.post(
        reverse("meetings:minutes_points", args=[7, coordination_session.pk]),
        {
            "points-TOTAL_FORMS": "2",
            "points-INITIAL_FORMS": "2",
            "points-0-id": str(first.pk),
            "points-0-discussion": "The Shepherd keeps the pilot cities going.",
            "points-0-decisions": "Report at the annual meeting.",
            "points-1-id": str(second.pk),
            "points-1-discussion": "",
            "points-1-decisions": "",
        },
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.decision_list == ["Report at the annual meeting."]


def test_no_new_action_item_once_the_minutes_are_approved(coordination_session, chair):
    from meetings.models import ActionItem

    minutes.approve_minutes(coordination_session, actor=chair)

    with pytest.raises(ValidationError, match="The minutes are approved"):
        action_items.record_action_item(
            coordination_session, ActionItem(title="Late addition", owner_person=chair),
            actor=chair,
        )  # fmt: skip

    assert ActionItem.objects.count() == 0


@pytest.mark.date_sensitive
def test_minutes_cannot_be_approved_before_the_session_has_ended(
    client, coordination_session, chair
):
    import time_machine

    # The three-day session ends at 16:00 in Jakarta on 26 June 2024: an hour before, it
    # is still on.
    with time_machine.travel(coordination_session.ends_at - timedelta(hours=1), tick=False):
        client.force_login(chair)
        response = client.post(
            reverse(
                "meetings:minutes_approve",
                args=[coordination_session.meeting.number, coordination_session.pk],
            ),
            follow=True,
        )

    assert (
        "The minutes can be approved once the session has ended, at 26 June 2024, 16:00 "
        "(Asia/Jakarta)." in response.content.decode()
    )
    coordination_session.minutes.refresh_from_db()
    assert coordination_session.minutes.status == "draft"
    assert not AuditEntry.objects.filter(action="meetings.minutes.approve").exists()

    with time_machine.travel(coordination_session.ends_at + timedelta(minutes=1), tick=False):
        minutes.approve_minutes(coordination_session, actor=chair)
    coordination_session.minutes.refresh_from_db()
    assert coordination_session.minutes.status == "approved"


def test_after_publishing_the_editor_shows_the_version_s_pdf(
    client, recorded, chair, django_capture_on_commit_callbacks
):
    minutes.approve_minutes(recorded, actor=chair)
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:minutes_publish", args=[7, recorded.pk]))

    editor = reverse("meetings:minutes_editor", args=[7, recorded.pk])
    assert response.url == f"{editor}#status"
    assert client.get(editor).content.decode().count("Download version 1 (PDF)") == 1
