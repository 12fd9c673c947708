"""The outbox and documents on a real Celery worker, Redis, PostgreSQL and SMTP server."""

import io
import time
from collections import Counter

import pytest
from django.db import transaction
from pypdf import PdfReader

from ascn_portal.core import documents, outbox
from ascn_portal.core.enums import DocumentKind, DocumentStatus, MailStatus
from ascn_portal.core.models import GeneratedDocument, OutgoingMail
from ascn_portal.core.tasks import send_mail_batch
from tests.celery_worker import wait_until
from tests.factories import UserFactory
from tests.factories.core import mail_spec

pytestmark = pytest.mark.redis


def queue(count, *, prefix):
    with transaction.atomic():
        return outbox.queue_mails(
            [mail_spec(to=f"{prefix}{n}@ascn.example", ics=True) for n in range(count)]
        )


def sent_count():
    return OutgoingMail.objects.filter(status=MailStatus.SENT).count()


def test_worker_delivers_each_message_once_even_when_enqueued_twice(celery_worker, worker_smtp):
    mails = queue(200, prefix="delegate")
    twice = [mail.pk for mail in mails[::3]]
    for start in range(0, len(twice), 20):
        send_mail_batch.delay(mail_ids=twice[start : start + 20])

    wait_until(lambda: sent_count() == 200, timeout=120, message="200 messages sent")
    time.sleep(1)  # room for a duplicate to arrive, if there were one

    assert sorted(worker_smtp.message_ids()) == sorted(mail.message_id for mail in mails)
    by_id = {message["Message-ID"]: message for message in worker_smtp.messages}
    for mail in (mails[0], mails[99], mails[199]):
        message = by_id[mail.message_id]
        assert message["To"] == mail.to[0]
        assert message["Subject"] == "[ASCN Portal] Test message"
        [attachment] = list(message.iter_attachments())
        assert attachment.get_filename() == "invitation.ics"
        assert "BEGIN:VEVENT" in attachment.get_content()


def test_worker_killed_mid_batch_loses_nothing(celery_worker, worker_smtp):
    worker_smtp.delay = 0.02  # 200 messages take a few seconds: room to kill mid-way
    mails = queue(200, prefix="member")
    wait_until(lambda: len(worker_smtp.messages) >= 50, timeout=60, message="50 arrivals")

    celery_worker.kill()
    arrived_before_restart = len(worker_smtp.messages)
    time.sleep(3.5)  # past ASCN_MAIL_SENDING_TIMEOUT, so the interrupted claim is stale
    celery_worker.start()
    outbox.sweep()  # what beat runs every minute
    wait_until(lambda: sent_count() == 200, timeout=120, message="all 200 sent after the kill")
    time.sleep(1)

    assert arrived_before_restart < 200
    counts = Counter(worker_smtp.message_ids())
    assert set(counts) == {mail.message_id for mail in mails}
    extra_copies = sum(count - 1 for count in counts.values())
    assert extra_copies <= celery_worker.kills


def test_smtp_outage_retried_until_server_returns(celery_worker, worker_smtp):
    worker_smtp.stop()
    try:
        mails = queue(5, prefix="outage")
        wait_until(
            lambda: (
                OutgoingMail.objects.filter(attempts__gte=1, last_error__contains="Connection")
                .exclude(status=MailStatus.SENT)
                .exists()
            ),
            timeout=30,
            message="a failed attempt recorded",
        )
    finally:
        worker_smtp.start()

    wait_until(lambda: sent_count() == 5, timeout=60, message="5 sent after the outage")
    assert sorted(worker_smtp.message_ids()) == sorted(mail.message_id for mail in mails)


def test_smtp_outage_fails_with_error_then_resend_delivers(celery_worker, worker_smtp):
    worker_smtp.stop()
    try:
        mails = queue(3, prefix="longoutage")
        wait_until(
            lambda: OutgoingMail.objects.filter(status=MailStatus.FAILED).count() == 3,
            timeout=60,
            message="3 messages failed",
        )
    finally:
        worker_smtp.start()
    errors = set(OutgoingMail.objects.values_list("last_error", flat=True))
    assert len(errors) == 1
    assert "ConnectionRefusedError" in errors.pop()
    assert worker_smtp.messages == []

    secretariat = UserFactory(role="secretariat")
    for mail in mails:
        outbox.resend(mail, actor=secretariat)

    wait_until(lambda: sent_count() == 3, timeout=60, message="3 resent")
    assert sorted(worker_smtp.message_ids()) == sorted(mail.message_id for mail in mails)


# The worker stores the file where STORAGE_URL says: the local disk, or the S3 server.
def test_worker_renders_pdf_read_back_with_pypdf(document_storage, celery_worker):
    secretariat = UserFactory(role="secretariat")
    with transaction.atomic():
        document = documents.request_document(
            secretariat,
            kind=DocumentKind.REPORT,
            title="Viet Nam: pilot cities",
            template_name="pdf/core/report.html",
            context={
                "title": "Viet Nam: pilot cities",
                "sections": [
                    {
                        "table": {
                            "columns": ["City", "Joined"],
                            "rows": [["Đà Nẵng", 2018], ["Hà Nội", 2018]],
                        }
                    }
                ],
            },
            view_permission="core.view_outbox",
            actor=secretariat,
        )

    wait_until(
        lambda: GeneratedDocument.objects.get(pk=document.pk).status != DocumentStatus.PENDING,
        timeout=60,
        message="the document rendered",
    )

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document.file.read())).pages)
    assert "Viet Nam: pilot cities" in text
    assert "Đà Nẵng" in text
    if document_storage is not None:
        assert document_storage.keys() == [document.file.name]


@pytest.fixture
def failing_object_store(settings, tmp_path):
    """An S3 server of this test's own, so that it can be stopped and started again."""
    from ascn_portal.env import storage_from_url
    from tests.s3_server import S3Server

    server = S3Server(log_dir=tmp_path)
    server.start()
    bucket, url = server.new_bucket()
    settings.STORAGE_URL = url
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(url, download_seconds=60)}
    yield server, bucket
    server.stop()


def test_object_store_down_during_render_fails_with_reason_then_stores_once_back(
    failing_object_store, celery_worker
):
    server, bucket = failing_object_store
    secretariat = UserFactory(role="secretariat")
    server.stop()

    with transaction.atomic():
        document = documents.request_document(
            secretariat,
            kind=DocumentKind.REPORT,
            title="Pilot cities",
            template_name="pdf/core/report.html",
            context={"title": "Pilot cities", "sections": []},
            view_permission="core.view_outbox",
            actor=secretariat,
        )
    wait_until(
        lambda: GeneratedDocument.objects.get(pk=document.pk).status == DocumentStatus.FAILED,
        timeout=60,
        message="the document marked failed",
    )
    failed = GeneratedDocument.objects.get(pk=document.pk)
    # The same server comes back empty (moto keeps nothing): its bucket is made again.
    server.start()
    server.client().create_bucket(Bucket=bucket)
    wait_until(
        lambda: GeneratedDocument.objects.get(pk=document.pk).status == DocumentStatus.READY,
        timeout=60,
        message="the document stored once the object store is back",
    )

    document.refresh_from_db()
    assert failed.error.startswith("EndpointConnectionError: Could not connect to the endpoint")
    assert failed.file.name == ""
    assert server.keys(bucket) == [document.file.name]
    assert document.error == ""


def long_report(secretariat, *, rows):
    """A report whose table takes WeasyPrint several seconds: room to kill mid-render."""
    with transaction.atomic():
        return documents.request_document(
            secretariat,
            kind=DocumentKind.REPORT,
            title="Every pilot city",
            template_name="pdf/core/report.html",
            context={
                "title": "Every pilot city",
                "sections": [
                    {
                        "table": {
                            "columns": ["City", "Country", "Joined"],
                            "rows": [[f"City {n}", "Viet Nam", 2018] for n in range(rows)],
                        }
                    }
                ],
            },
            view_permission="core.view_outbox",
            actor=secretariat,
        )


def test_worker_killed_mid_render_renders_it_again_after_restart(celery_worker):
    secretariat = UserFactory(role="secretariat")
    document = long_report(secretariat, rows=3000)
    wait_until(
        lambda: GeneratedDocument.objects.get(pk=document.pk).claimed_at is not None,
        timeout=60,
        message="a worker started rendering",
    )
    time.sleep(0.5)  # inside WeasyPrint, the claim renewed meanwhile

    celery_worker.kill()
    interrupted = GeneratedDocument.objects.get(pk=document.pk)
    assert interrupted.status == DocumentStatus.PENDING
    assert interrupted.file.name == ""
    time.sleep(2.5)  # past ASCN_DOCUMENT_CLAIM_TIMEOUT: nobody renews the claim any more
    celery_worker.start()
    assert documents.sweep() == 1  # what beat runs every minute

    wait_until(
        lambda: GeneratedDocument.objects.get(pk=document.pk).status != DocumentStatus.PENDING,
        timeout=120,
        message="the document rendered by the new worker",
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    assert document.claimed_at is None
    reader = PdfReader(io.BytesIO(document.file.read()))
    assert "City 2999" in reader.pages[-1].extract_text()
    assert "Rendering document" not in celery_worker.logs()
    assert documents.sweep() == 0


def test_pool_process_over_its_memory_limit_is_replaced_and_work_goes_on(celery_worker, tmp_path):
    from tests.celery_worker import CeleryWorker

    celery_worker.stop()
    # Any process is over 1 MiB: each render leaves its pool process to be replaced.
    prefork = CeleryWorker(
        env={**celery_worker.env, "ASCN_WORKER_MAX_MEMORY_MIB": "1"},
        log_dir=tmp_path / "prefork",
        pool="prefork",
        concurrency=1,
    )
    prefork.log_dir.mkdir()
    prefork.start()
    try:
        secretariat = UserFactory(role="secretariat")
        first = long_report(secretariat, rows=5)
        wait_until(
            lambda: GeneratedDocument.objects.get(pk=first.pk).status == DocumentStatus.READY,
            timeout=60,
            message="the first document rendered",
        )
        second = long_report(secretariat, rows=5)
        wait_until(
            lambda: GeneratedDocument.objects.get(pk=second.pk).status == DocumentStatus.READY,
            timeout=60,
            message="the second document rendered by a fresh pool process",
        )
        # Each render by a pool process of its own: the first was replaced after its task.
        # The task logs its end after the document is saved: wait for the line.
        wait_until(
            lambda: "ForkPoolWorker-2] Task ascn.core.render_document" in prefork.logs(),
            timeout=30,
            message="the second render logged by the second pool process",
        )
        assert "ForkPoolWorker-1] Task ascn.core.render_document" in prefork.logs()
    finally:
        prefork.stop()
