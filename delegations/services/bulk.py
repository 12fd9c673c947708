"""Work on many people at once, in the background: invite the confirmed participants
of many delegations, remind everyone who has not registered. The request only records
a BulkJob; a task does the work and its page shows the progress."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ascn_portal.core.actors import Actor, acting_person
from ascn_portal.core.audit import log_action
from ascn_portal.core.models import usable
from ascn_portal.core.outbox import queue_mails
from delegations.enums import BulkJobKind, BulkJobStatus, ParticipantStatus, RosterStatus
from delegations.models import BulkJob, Delegation, Invitation, Participant
from delegations.services import invitations
from meetings.models import Meeting

logger = logging.getLogger(__name__)

# Progress is written every this many people, so the page moves without a write each.
PROGRESS_EVERY = 20


def start_bulk_invitation(
    meeting: Meeting, delegations: list[Delegation], *, actor: Actor
) -> BulkJob:
    """Invite everyone not yet invited (or whose link lapsed) on the confirmed rosters of
    ``delegations``, in the background. Late nominees waiting for confirmation wait.

    Raises ValidationError once registration has closed. While such a job for the same
    delegations runs, it is returned and nothing new starts. Side effects: a BulkJob,
    an audit entry, a task after commit.
    """
    invitations.refuse_if_registration_closed(meeting)
    chosen = sorted(d.pk for d in delegations)
    people = list(
        Participant.objects.filter(
            delegation__meeting=meeting,
            delegation__in=chosen,
            delegation__roster_status=RosterStatus.CONFIRMED,
            status__in=[ParticipantStatus.NOMINATED, ParticipantStatus.EXPIRED],
        )
        .exclude(late_nominated_at__isnull=False, late_confirmed_at__isnull=True)
        .order_by("delegation_id", "pk")
        .values_list("pk", flat=True)
    )
    key = f"invite:{meeting.pk}:{','.join(map(str, chosen))}"
    return _start(meeting, BulkJobKind.INVITE, key, people, actor=actor)


def start_reminders(meeting: Meeting, *, actor: Actor) -> BulkJob:
    """Remind everyone invited who has not registered, in the background. Each person
    is reminded once a day at most (the outbox key holds the link and the meeting's
    date). Side effects: a BulkJob, an audit entry, a task after commit."""
    invitations.refuse_if_registration_closed(meeting)
    people = list(
        Participant.objects.filter(delegation__meeting=meeting, status=ParticipantStatus.INVITED)
        .order_by("delegation_id", "pk")
        .values_list("pk", flat=True)
    )
    today = timezone.now().astimezone(meeting.zone).date()
    return _start(meeting, BulkJobKind.REMIND, f"remind:{meeting.pk}:{today}", people, actor=actor)


def _start(meeting: Meeting, kind: str, key: str, people: list[int], *, actor: Actor) -> BulkJob:
    running = BulkJob.objects.filter(key=key, finished_at__isnull=True).first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            job = BulkJob.objects.create(
                meeting=meeting,
                kind=kind,
                key=key,
                participant_ids=people,
                total=len(people),
                requested_by=acting_person(actor),
            )
            log_action(job, f"delegations.bulk.{kind}", actor=actor, data={"total": len(people)})
            if not people:
                job.status, job.finished_at = BulkJobStatus.DONE, timezone.now()
                job.save(update_fields=["status", "finished_at"])
            else:
                from delegations.tasks import run_bulk_job

                transaction.on_commit(lambda: run_bulk_job.delay(job_id=job.pk))
    except IntegrityError:  # the same click, a moment ago
        return BulkJob.objects.get(key=key, finished_at__isnull=True)
    return job


def run_bulk_job(job: BulkJob) -> BulkJob:
    """Do the job's work person by person, each in its own transaction, recording the
    progress and every failure with its reason. A job already claimed (a duplicated
    task) is left alone. Side effects: what each step does (invitations, reminders),
    the job's progress."""
    claimed = BulkJob.objects.filter(pk=job.pk, status=BulkJobStatus.QUEUED).update(
        status=BulkJobStatus.RUNNING
    )
    if not claimed:
        return job
    job.refresh_from_db()
    language = job.requested_by.language if job.requested_by else "en"
    with translation.override(language):  # the reasons, in the words of who asked
        return _run(job)


def _run(job: BulkJob) -> BulkJob:
    step = _invite_one if job.kind == BulkJobKind.INVITE else _remind_one
    people = Participant.objects.select_related(
        "delegation__meeting__host_country", "delegation__country", "user"
    ).in_bulk(job.participant_ids)
    done, failures = 0, list(job.failures)
    for index, pk in enumerate(job.participant_ids, start=1):
        participant = people.get(pk)
        if participant is None:
            failures.append({"name": f"#{pk}", "reason": _("No longer on the roster.")})
        else:
            try:
                with transaction.atomic():
                    step(participant, actor=job.requested_by)
            except ValidationError as exc:
                failures.append({"name": participant.full_name, "reason": exc.messages[0]})
            except Exception as exc:
                logger.exception("Bulk job %s failed for participant %s", job.pk, pk)
                failures.append({"name": participant.full_name, "reason": str(exc)[:300]})
        done = index
        if index % PROGRESS_EVERY == 0:
            BulkJob.objects.filter(pk=job.pk).update(done=done, failures=failures)
    BulkJob.objects.filter(pk=job.pk).update(
        done=done, failures=failures, status=BulkJobStatus.DONE, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _invite_one(participant: Participant, *, actor: Actor) -> None:
    if participant.status not in (ParticipantStatus.NOMINATED, ParticipantStatus.EXPIRED):
        return  # invited meanwhile, one by one: nothing to send twice
    if not invitations.invite([participant], actor=actor):
        raise ValidationError(_("No seat is free any more."))


def _remind_one(participant: Participant, *, actor: Actor) -> None:
    if participant.status != ParticipantStatus.INVITED:
        return  # registered or declined meanwhile
    invitation = usable(Invitation.objects.filter(participant=participant)).first()
    if invitation is None:
        raise ValidationError(_("The invitation link has lapsed: send a new one."))
    today = timezone.now().astimezone(participant.delegation.meeting.zone).date()
    queue_mails(
        [
            invitations.reminder_mail(
                participant, key=f"delegations.manual_reminder:{invitation.pk}:{today}"
            )
        ],
        actor=actor,
    )
