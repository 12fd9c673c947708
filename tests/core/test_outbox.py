from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ascn_portal.core import outbox
from ascn_portal.core.enums import MailStatus
from ascn_portal.core.models import AuditEntry, OutgoingMail
from tests.conftest import free_port, point_email_at
from tests.factories import UserFactory
from tests.factories.core import mail_spec

pytestmark = pytest.mark.django_db


def queue(spec, capture):
    with capture(execute=True):
        return outbox.queue_mail(spec)


def test_queued_mail_leaves_after_commit_with_headers_and_ics(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    spec = mail_spec(to="dewi@ascn.example", key="invite:42", ics=True)

    mail = queue(spec, django_capture_on_commit_callbacks)

    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert mail.attempts == 1
    [message] = smtp_server.messages
    assert message["To"] == "dewi@ascn.example"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Reply-To"] == "organiser@ascn.example"
    assert message["Subject"] == "[ASCN Portal] Test message"
    assert message["Message-ID"] == mail.message_id
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invitation.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert "SUMMARY:Opening" in attachment.get_content()
    assert message.get_body(preferencelist=("html",)) is not None


def test_mail_rendered_in_recipient_language(smtp_server, django_capture_on_commit_callbacks):
    queue(mail_spec(language="id"), django_capture_on_commit_callbacks)

    [message] = smtp_server.messages
    assert message["Subject"] == "[ASCN Portal] Pesan uji"
    assert "pengaturan surel portal berfungsi" in smtp_server.body(message)


def test_rolled_back_change_sends_nothing(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                outbox.queue_mail(mail_spec())
                raise RuntimeError("the caller's change failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert OutgoingMail.objects.count() == 0
    assert smtp_server.messages == []


def test_same_idempotency_key_queues_one_message(smtp_server, django_capture_on_commit_callbacks):
    first = queue(mail_spec(key="invite:7"), django_capture_on_commit_callbacks)
    again = queue(mail_spec(key="invite:7"), django_capture_on_commit_callbacks)

    assert again.pk == first.pk
    assert OutgoingMail.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_duplicate_task_sends_once(smtp_server, django_capture_on_commit_callbacks):
    mail = queue(mail_spec(), django_capture_on_commit_callbacks)

    outbox.send_batch([mail.pk])
    outbox.send_batch([mail.pk])

    assert len(smtp_server.messages) == 1


def test_batch_goes_over_one_connection(smtp_server, django_capture_on_commit_callbacks):
    connections = []
    original = smtp_server.handle_DATA

    async def count_sessions(server, session, envelope):
        connections.append(id(session))
        return await original(server, session, envelope)

    smtp_server.handle_DATA = count_sessions
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_mails([mail_spec(to=f"p{n}@ascn.example") for n in range(30)])

    assert len(smtp_server.messages) == 30
    assert len(set(connections)) == 1


def test_permanent_rejection_fails_at_once_with_reason(
    smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.reject_recipients["ghost@ascn.example"] = "550 5.1.1 No such user here"

    mail = queue(mail_spec(to="ghost@ascn.example"), django_capture_on_commit_callbacks)

    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
    assert mail.attempts == 1
    assert mail.last_error == "ghost@ascn.example: 550 5.1.1 No such user here"


def test_temporary_rejection_stays_queued_with_backoff(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.ASCN_MAIL_RETRY_BACKOFF = 30
    smtp_server.data_reply = "451 4.3.0 Try again later"
    before = timezone.now()

    mail = queue(mail_spec(), django_capture_on_commit_callbacks)

    mail.refresh_from_db()
    assert mail.status == MailStatus.QUEUED
    assert mail.last_error == "451 4.3.0 Try again later"
    assert mail.next_attempt_at >= before + timedelta(seconds=30)


def test_smtp_down_keeps_message_queued_then_fails_after_max_attempts(
    django_capture_on_commit_callbacks, settings
):
    point_email_at(settings, free_port())  # nothing listens there
    settings.ASCN_MAIL_MAX_ATTEMPTS = 2
    mail = queue(mail_spec(), django_capture_on_commit_callbacks)
    mail.refresh_from_db()
    assert mail.status == MailStatus.QUEUED
    assert "ConnectionRefusedError" in mail.last_error

    OutgoingMail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now())
    outbox.send_batch([mail.pk])

    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
    assert mail.attempts == 2
    assert mail.last_error.endswith("(gave up after 2 attempts)")


def test_resend_delivers_failed_message(smtp_server, django_capture_on_commit_callbacks):
    smtp_server.reject_recipients["dewi@ascn.example"] = "550 5.7.1 Mailbox disabled"
    mail = queue(mail_spec(to="dewi@ascn.example"), django_capture_on_commit_callbacks)
    smtp_server.reject_recipients.clear()
    secretariat = UserFactory(role="secretariat")

    with django_capture_on_commit_callbacks(execute=True):
        resent = outbox.resend(mail, actor=secretariat)

    assert resent is True
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert [m["Message-ID"] for m in smtp_server.messages] == [mail.message_id]
    assert list(AuditEntry.objects.values_list("action", "actor")) == [
        ("core.mail.resend", secretariat.pk)
    ]


def test_resend_refuses_sent_message(smtp_server, django_capture_on_commit_callbacks):
    mail = queue(mail_spec(), django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        resent = outbox.resend(mail, actor=UserFactory(role="secretariat"))

    assert resent is False
    assert len(smtp_server.messages) == 1
    assert AuditEntry.objects.count() == 0


def test_sweep_takes_back_stale_claims_and_overdue_messages(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.ASCN_MAIL_SENDING_TIMEOUT = 60
    settings.ASCN_MAIL_QUEUED_GRACE = 60
    long_ago = timezone.now() - timedelta(minutes=10)
    with transaction.atomic():  # rows only: their tasks are "lost"
        stale, overdue, fresh = outbox.queue_mails([mail_spec(), mail_spec(), mail_spec()])
    OutgoingMail.objects.filter(pk=stale.pk).update(
        status=MailStatus.SENDING, claimed_at=long_ago, attempts=1
    )
    OutgoingMail.objects.filter(pk=overdue.pk).update(next_attempt_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        count = outbox.sweep()

    assert count == 2
    assert sorted(m["Message-ID"] for m in smtp_server.messages) == sorted(
        [stale.message_id, overdue.message_id]
    )
    fresh.refresh_from_db()
    assert fresh.status == MailStatus.QUEUED


# --- The outbox pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [("delegate", 403), ("national_representative", 403), ("secretariat", 200)]
)
def test_outbox_page_only_for_secretariat(client, role, status):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("core:outbox_list")).status_code == status


def test_outbox_page_sends_anonymous_to_login(client):
    response = client.get(reverse("core:outbox_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("size", [5, 120])
def test_outbox_list_query_count_is_constant(client, size, django_assert_max_num_queries):
    with transaction.atomic():
        outbox.queue_mails([mail_spec() for _ in range(size)])
    client.force_login(UserFactory(role="secretariat"))

    with django_assert_max_num_queries(6):
        response = client.get(reverse("core:outbox_list"))

    assert len(response.context["page"].object_list) == min(size, 50)


def test_outbox_list_filters_by_status_and_recipient(client):
    with transaction.atomic():
        failed, _queued = outbox.queue_mails(
            [mail_spec(to="ghost@ascn.example"), mail_spec(to="dewi@ascn.example")]
        )
    OutgoingMail.objects.filter(pk=failed.pk).update(status=MailStatus.FAILED, last_error="550")
    client.force_login(UserFactory(role="secretariat"))

    by_status = client.get(reverse("core:outbox_list"), {"status": "failed"})
    by_recipient = client.get(reverse("core:outbox_list"), {"q": "dewi@"})

    assert [m.pk for m in by_status.context["page"].object_list] == [failed.pk]
    assert [m.to for m in by_recipient.context["page"].object_list] == [["dewi@ascn.example"]]


def test_outbox_detail_shows_error_and_resend_button(client):
    with transaction.atomic():
        mail = outbox.queue_mail(mail_spec(to="ghost@ascn.example"))
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.FAILED, last_error="ghost@ascn.example: 550 No such user"
    )
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(mail.get_absolute_url())

    content = response.content.decode()
    assert "ghost@ascn.example: 550 No such user" in content
    assert "Send again" in content


def test_resend_button_queues_and_sends(client, smtp_server, django_capture_on_commit_callbacks):
    with transaction.atomic():
        mail = outbox.queue_mail(mail_spec())
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.FAILED)
    client.force_login(UserFactory(role="secretariat"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:outbox_resend", args=[mail.pk]), follow=True)

    assert "The message is queued to be sent again." in response.content.decode()
    assert len(smtp_server.messages) == 1


def test_delegate_cannot_resend(client, django_capture_on_commit_callbacks):
    with transaction.atomic():
        mail = outbox.queue_mail(mail_spec())
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.FAILED)
    client.force_login(UserFactory(role="delegate"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("core:outbox_resend", args=[mail.pk]))

    assert response.status_code == 403
    assert callbacks == []
    assert OutgoingMail.objects.get(pk=mail.pk).status == MailStatus.FAILED


def test_html_version_is_sandboxed(client):
    with transaction.atomic():
        mail = outbox.queue_mail(mail_spec())
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("core:outbox_html", args=[mail.pk]))

    assert response.headers["Content-Security-Policy"].startswith("sandbox;")


def test_test_message_button_mails_the_person(
    client, smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(role="secretariat", email="nadia@ascn.example")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:outbox_test"))

    assert [m["To"] for m in smtp_server.messages] == ["nadia@ascn.example"]
