"""The e-mail outbox: every message the portal sends is a database row first.

Delivery guarantee, and where each part of it is made:

- ``queue_mails`` writes the rows in the caller's transaction and enqueues the send
  task only after commit, so a rolled-back change sends nothing. An idempotency key
  already in the outbox returns the existing row: a repeated call queues nothing new.
- ``_claim`` moves one row from queued to sending with a conditional UPDATE that must
  change exactly one row. A duplicated or retried task finds nothing to claim and sends
  nothing, so no message goes out twice while workers stay alive.
- Tasks are acknowledged late, and ``sweep`` (run every minute by beat) re-enqueues
  messages whose task was lost with a killed worker: queued ones past due, and sending
  ones whose claim is older than ASCN_MAIL_SENDING_TIMEOUT.
- The one window that remains: the SMTP server accepted a message and the worker died
  before recording it sent (or PostgreSQL itself crashed within a fraction of a second
  after, see ``_commit_without_waiting_for_disk``). The sweep then sends that message
  again, at most once more per such crash, with the same Message-ID (derived from the
  idempotency key), so mail clients and servers that deduplicate on it show it once.
- Errors that can pass (refused connection, timeout, 4xx replies) leave the message
  queued with exponential backoff until ASCN_MAIL_MAX_ATTEMPTS; a permanent 5xx
  rejection fails it at once with the server's reason. Failed messages stay in the
  outbox and can be resent by the secretariat (``resend``).

Secrets (a ``MailSpec``'s ``secrets``: invitation links, password links) are never
stored in the bodies: those hold a placeholder, the row keeps the secret in its own
field only until the message is sent, and ``_deliver`` puts it back into the copy handed
to the SMTP server. A sent message's row, page and backups open nothing.
"""

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ascn_portal.core.actors import Actor, acting_person
from ascn_portal.core.audit import log_action
from ascn_portal.core.enums import RESENDABLE, MailStatus
from ascn_portal.core.models import OutgoingMail, OutgoingMailAttachment

if TYPE_CHECKING:
    from ascn_portal.accounts.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class MailSpec:
    """One logical message: templates under templates/emails/<template>.* and their data."""

    to: list[str]
    template: str
    context: dict[str, Any]
    idempotency_key: str
    language: str = "en"
    reply_to: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    about: object = None
    # Context keys whose values open something (a sign-up, a password): stored masked.
    secrets: tuple[str, ...] = ()


def secret_placeholder(key: str) -> str:
    """What a stored body shows in place of the secret ``key``: plain text that survives
    HTML escaping unchanged, so it is found and replaced in both bodies."""
    return f"[{key} hidden: sent only to the recipient]"


def reveal(body: str, secrets: dict[str, str]) -> str:
    """``body`` with each placeholder replaced by the secret it stands for."""
    for placeholder, value in secrets.items():
        body = body.replace(placeholder, value)
    return body


def render_mail(template: str, context: dict[str, Any], *, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of ``emails/<template>`` in the recipient's language."""
    with translation.override(language):
        subject: str = render_to_string(f"emails/{template}.subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    subject = " ".join(subject.split())
    return f"{settings.EMAIL_SUBJECT_PREFIX}{subject}", text, html


def queue_mails(specs: Iterable[MailSpec], *, actor: Actor = None) -> list[OutgoingMail]:
    """Write the messages to the outbox and send them after the caller's transaction.

    Side effects: one OutgoingMail row (and its attachments) per new idempotency key;
    after commit, send tasks of ASCN_MAIL_BATCH_SIZE messages each, sent over one SMTP
    connection per task. Returns the rows, existing ones included.
    """
    mails: list[OutgoingMail] = []
    new_ids: list[int] = []
    with transaction.atomic():
        for spec in specs:
            mail, created = _get_or_create(spec, actor=actor)
            mails.append(mail)
            if created:
                new_ids.append(mail.pk)
        _enqueue_after_commit(new_ids)
    return mails


def queue_mail(spec: MailSpec, *, actor: Actor = None) -> OutgoingMail:
    """Write one message to the outbox; see ``queue_mails``."""
    return queue_mails([spec], actor=actor)[0]


def _get_or_create(spec: MailSpec, *, actor: Actor) -> tuple[OutgoingMail, bool]:
    # A secret left empty (no password link for an existing account) stays empty, so
    # the template's own conditions still see it.
    masked = {key: secret_placeholder(key) for key in spec.secrets if spec.context.get(key)}
    context = {**spec.context, **masked}
    subject, text, html = render_mail(spec.template, context, language=spec.language)
    secrets = {placeholder: str(spec.context[key]) for key, placeholder in masked.items()}
    about: Any = spec.about
    mail, created = OutgoingMail.objects.get_or_create(
        idempotency_key=spec.idempotency_key,
        defaults={
            "to": list(spec.to),
            "reply_to": list(spec.reply_to),
            "subject": subject,
            "body_text": text,
            "body_html": html,
            "secrets": secrets,
            "language": spec.language,
            "created_by": acting_person(actor),
            "about_type": ContentType.objects.get_for_model(about) if about else None,
            "about_id": str(about.pk) if about else "",
        },
    )
    if created and spec.attachments:
        OutgoingMailAttachment.objects.bulk_create(
            OutgoingMailAttachment(
                mail=mail, filename=a.filename, mimetype=a.mimetype, content=a.content
            )
            for a in spec.attachments
        )
    return mail, created


def _enqueue_after_commit(mail_ids: list[int]) -> None:
    from ascn_portal.core.tasks import send_mail_batch

    size = settings.ASCN_MAIL_BATCH_SIZE
    for start in range(0, len(mail_ids), size):
        chunk = mail_ids[start : start + size]
        transaction.on_commit(partial(send_mail_batch.delay, mail_ids=chunk))


# --- Sending ----------------------------------------------------------------------------


class _Permanent(Exception):
    """The server refused this message for good; retrying cannot help."""


def retry_delay(attempts: int) -> int:
    """Seconds to wait before attempt ``attempts + 1``: doubling, capped."""
    base = settings.ASCN_MAIL_RETRY_BACKOFF
    return int(min(base * 2 ** max(attempts - 1, 0), settings.ASCN_MAIL_RETRY_BACKOFF_MAX))


def send_batch(mail_ids: list[int]) -> tuple[list[int], int]:
    """Send the given messages over one SMTP connection.

    Returns ``(retry_ids, countdown)``: the messages put back in the queue after a
    transient error, and how many seconds until all of them are due again. Side
    effects: each message claimed, sent, and marked sent, failed or queued for retry;
    mail through the configured backend.
    """
    # A queued message never changes: read the batch in one go and let the claim of
    # each message decide who sends it.
    batch = OutgoingMail.objects.filter(pk__in=mail_ids, status=MailStatus.QUEUED).in_bulk()
    attachments = _attachments_by_mail(batch)
    pending = [pk for pk in mail_ids if pk in batch]
    retry_ids: list[int] = []
    countdown = 0
    delivered: OutgoingMail | None = None  # sent, recorded together with the next claim
    connection = get_connection(fail_silently=False)
    try:
        while pending:
            mail = batch[pending.pop(0)]
            claimed = _claim(mail, record_sent=delivered)
            delivered = None
            if not claimed:
                continue
            try:
                _deliver(mail, connection, attachments.get(mail.pk, []))
            except _Permanent as exc:
                _mark_failed(mail, str(exc))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                # The server answered 4xx for this message only: the session goes on.
                delay = _release_for_retry(mail, _describe(exc))
                if delay:
                    retry_ids.append(mail.pk)
                    countdown = max(countdown, delay)
            except (OSError, smtplib.SMTPException) as exc:
                # The connection failed: that is an attempt for the whole batch, which
                # waits and is tried again together.
                error = _describe(exc)
                delay = _release_for_retry(mail, error)
                deferred = _defer(pending, error, delay)
                retry_ids += ([mail.pk] if delay else []) + deferred
                return retry_ids, max(countdown, delay)
            else:
                delivered = mail
    finally:
        if delivered is not None:
            _mark_sent(delivered)
        connection.close()
    return retry_ids, countdown


def _attachments_by_mail(
    mails: dict[int, OutgoingMail],
) -> dict[int, list[OutgoingMailAttachment]]:
    grouped: dict[int, list[OutgoingMailAttachment]] = {}
    for attachment in OutgoingMailAttachment.objects.filter(mail__in=list(mails)):
        grouped.setdefault(attachment.mail_id, []).append(attachment)
    return grouped


def _deliver(
    mail: OutgoingMail, connection: Any, attachments: list[OutgoingMailAttachment]
) -> None:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=reveal(mail.body_text, mail.secrets),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
        reply_to=mail.reply_to or None,
        headers={"Message-ID": mail.message_id, "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    if mail.body_html:
        message.attach_alternative(reveal(mail.body_html, mail.secrets), "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    try:
        # Opens once per batch; later messages reuse the same SMTP session.
        connection.open()
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _reply in exc.recipients.values()]
        if all(code >= 500 for code in codes):
            raise _Permanent(_describe(exc)) from exc
        raise
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            raise _Permanent(_describe(exc)) from exc
        raise


def _describe(exc: BaseException) -> str:
    """The server's own words, for the outbox page: '550 5.1.1 No such user'."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{recipient}: {code} {_text(reply)}"
            for recipient, (code, reply) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


# The claim runs once per message, so it is written in SQL: through the ORM it cost
# three times as much as the statements themselves.
_MARK_SENT_SQL = (
    "UPDATE core_outgoingmail SET status = %s, sent_at = %s, last_error = '', secrets = '{}' "
    "WHERE id = %s AND status = %s"
)
_CLAIM_SQL = (
    "UPDATE core_outgoingmail SET status = %s, claimed_at = %s, attempts = attempts + 1 "
    "WHERE id = %s AND status = %s AND next_attempt_at <= %s"
)


def _claim(mail: OutgoingMail, *, record_sent: OutgoingMail | None = None) -> bool:
    """Take a due, queued message for sending; False if another task has it.

    ``record_sent``, the message delivered just before, is marked sent in the same
    transaction: one commit per message instead of two, and the previous message is
    still recorded before this one leaves.
    """
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        _commit_without_waiting_for_disk(cursor)
        if record_sent is not None:
            cursor.execute(
                _MARK_SENT_SQL, [MailStatus.SENT, now, record_sent.pk, MailStatus.SENDING]
            )
        cursor.execute(_CLAIM_SQL, [MailStatus.SENDING, now, mail.pk, MailStatus.QUEUED, now])
        claimed = bool(cursor.rowcount == 1)
    mail.attempts += 1
    return claimed


def _commit_without_waiting_for_disk(cursor: Any) -> None:
    """Let this bookkeeping commit return before PostgreSQL flushes it to disk.

    Waiting for the flush was most of the cost of sending one message. A killed worker
    loses nothing by it (the server has the commit); only a crash of the database
    server itself can forget the last fraction of a second of claims and sent marks,
    and those messages then go out once more, with the same Message-ID.
    """
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _mark_sent(mail: OutgoingMail) -> None:
    OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(
        status=MailStatus.SENT, sent_at=timezone.now(), last_error="", secrets={}
    )


def _mark_failed(mail: OutgoingMail, error: str) -> None:
    logger.warning("Outbox message %s failed for good: %s", mail.pk, error)
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.FAILED, last_error=error)


def _defer(mail_ids: list[int], error: str, delay: int) -> list[int]:
    """Count a failed connection as an attempt for messages not reached yet.

    Returns the ones still queued; those out of attempts fail.
    """
    queued = OutgoingMail.objects.filter(pk__in=mail_ids, status=MailStatus.QUEUED)
    queued.update(
        attempts=F("attempts") + 1,
        last_error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    queued.filter(attempts__gte=settings.ASCN_MAIL_MAX_ATTEMPTS).update(
        status=MailStatus.FAILED,
        last_error=f"{error} (gave up after {settings.ASCN_MAIL_MAX_ATTEMPTS} attempts)",
    )
    return list(queued.values_list("pk", flat=True))


def _release_for_retry(mail: OutgoingMail, error: str) -> int:
    """Put a message back in the queue after a transient error, or fail it at the limit."""
    if mail.attempts >= settings.ASCN_MAIL_MAX_ATTEMPTS:
        _mark_failed(mail, f"{error} (gave up after {mail.attempts} attempts)")
        return 0
    delay = retry_delay(mail.attempts)
    logger.info("Outbox message %s will be retried in %s s: %s", mail.pk, delay, error)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.QUEUED,
        last_error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return delay


# --- Recovery ---------------------------------------------------------------------------


def sweep() -> int:
    """Re-enqueue messages whose send task was lost.

    Side effects: stale 'sending' claims go back to queued (or failed once out of
    attempts); send tasks for every queued message past due by ASCN_MAIL_QUEUED_GRACE.
    Returns how many messages were enqueued.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.ASCN_MAIL_SENDING_TIMEOUT)
    abandoned = OutgoingMail.objects.filter(status=MailStatus.SENDING, claimed_at__lt=stale)
    abandoned.filter(attempts__gte=settings.ASCN_MAIL_MAX_ATTEMPTS).update(
        status=MailStatus.FAILED, last_error="The worker stopped while sending; out of attempts."
    )
    reclaimed = list(abandoned.values_list("pk", flat=True))
    OutgoingMail.objects.filter(pk__in=reclaimed, status=MailStatus.SENDING).update(
        status=MailStatus.QUEUED,
        next_attempt_at=now,
        last_error="The worker stopped while sending; sending again.",
    )
    overdue = now - timedelta(seconds=settings.ASCN_MAIL_QUEUED_GRACE)
    due = list(
        OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=overdue)
        .exclude(pk__in=reclaimed)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        _enqueue_after_commit(reclaimed + due)
    if reclaimed or due:
        logger.info("Outbox sweep re-enqueued %s stale and %s overdue", len(reclaimed), len(due))
    return len(reclaimed) + len(due)


def resend(mail: OutgoingMail, *, actor: Actor) -> bool:
    """Queue a failed message again, from a fresh count of attempts.

    Side effects: the row back to queued; an audit entry; a send task after commit.
    """
    with transaction.atomic():
        changed = OutgoingMail.objects.filter(pk=mail.pk, status__in=RESENDABLE).update(
            status=MailStatus.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        if changed:
            log_action(mail, "core.mail.resend", actor=actor, data={"to": mail.to})
            _enqueue_after_commit([mail.pk])
    mail.refresh_from_db()
    return bool(changed)


def queue_test_message(user: "User") -> OutgoingMail:
    """A message to ``user`` that proves the e-mail settings work. Side effects: one row."""
    sent_at = timezone.now()
    return queue_mail(
        MailSpec(
            to=[user.email],
            template="core/test_message",
            context={"name": user.full_name, "sent_at": sent_at},
            idempotency_key=f"core.test:{user.pk}:{sent_at.isoformat()}",
            language=user.language,
            about=user,
        ),
        actor=user,
    )
