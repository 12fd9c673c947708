"""Writes on conferences, panels, speakers' talking points and panel briefs."""

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ascn_portal.accounts.enums import Role
from ascn_portal.accounts.models import User
from ascn_portal.accounts.services import create_account
from ascn_portal.accounts.zones import country_zone
from ascn_portal.core.actors import Actor, reply_to
from ascn_portal.core.audit import log_action
from ascn_portal.core.enums import DocumentKind, DocumentStatus
from ascn_portal.core.models import OutgoingMail
from ascn_portal.core.outbox import Attachment, MailSpec, queue_mails
from ascn_portal.core.sites import absolute_url
from ascn_portal.core.versions import DocumentRequest, publish_version
from delegations.models import Participant
from meetings.models import CoordinationSession
from meetings.register.enums import Distribution
from meetings.register.services import register_generated, set_readers
from panels import queries
from panels.enums import PanelStatus
from panels.models import (
    BriefVersion,
    Conference,
    Objective,
    Panel,
    Segment,
    Speaker,
    TalkingPoints,
)
from pilots.models import Country, Organisation, PartnershipProject


def save_conference(
    conference: Conference,
    *,
    initiated_by: Iterable[Country],
    co_hosted_by: Iterable[Country],
    partner_organisations: Iterable[Organisation],
    actor: Actor,
) -> Conference:
    """Create or update the meeting's conference with the member states that initiate
    and co-host it and its partner organisations.

    Side effects: the Conference row, its links, an audit entry.
    """
    with transaction.atomic():
        created = conference.pk is None
        conference.save()
        conference.initiated_by.set(initiated_by)
        conference.co_hosted_by.set(co_hosted_by)
        conference.partner_organisations.set(partner_organisations)
        log_action(
            conference,
            "panels.conference.create" if created else "panels.conference.update",
            actor=actor,
            data={"title": conference.title},
        )
    return conference


def save_panel(
    panel: Panel,
    *,
    objectives: Iterable[str],
    actor: Actor,
    coordination_sessions: Iterable[CoordinationSession] | None = None,
) -> Panel:
    """Save the panel and replace its objectives with ``objectives`` (texts, in order)
    and, when given, the coordination sessions that prepare it.

    Side effects: the Panel row, its Objective rows and session links, an audit entry.
    """
    with transaction.atomic():
        created = panel.pk is None
        if not created:
            # The form's copy may be stale: a brief shared since it was loaded registered
            # itself (register_brief), and this save must not take that back.
            panel.brief_registered_as_id = (
                Panel.objects.select_for_update()
                .values_list("brief_registered_as", flat=True)
                .get(pk=panel.pk)
            )
        panel.save()
        if coordination_sessions is not None:
            panel.coordination_sessions.set(coordination_sessions)
        panel.objectives.all().delete()
        Objective.objects.bulk_create(
            Objective(panel=panel, position=n, text=text)
            for n, text in enumerate(objectives, start=1)
        )
        # A new moderator reads the registered brief; the one replaced no longer does.
        _keep_brief_readers(panel)
        log_action(panel, "panels.panel.create" if created else "panels.panel.update", actor=actor)
    return panel


# --- Speakers ---------------------------------------------------------------------------


def _guest_profile(
    panel: Panel, participant: Participant | None, organisation: Organisation | None
) -> dict[str, str]:
    """What the panel knows of a guest, for the account it gives them: language (a
    participant's), organisation, and the zone of the organisation's country (the
    meeting's when it has none)."""
    meeting = panel.conference.meeting
    country = organisation.country.code if organisation and organisation.country else None
    return {
        "language": participant.language if participant is not None else "en",
        "organisation": organisation.name if organisation else "",
        "time_zone": country_zone(country, default=meeting.time_zone),
    }


def add_speaker(
    panel: Panel,
    *,
    email: str,
    name: str,
    actor: Actor,
    participant: Participant | None = None,
    **details: Any,
) -> Speaker:
    """Put a person on the panel and tell them by e-mail what is asked of them.

    Someone without an account gets one (role speaker) and a link to set a password:
    allauth's reset key, which works once and expires with PASSWORD_RESET_TIMEOUT.
    ``details`` are Speaker fields (organisation, topic, minutes). Raises
    ValidationError if the person already speaks on this panel. Side effects: maybe a
    User, the Speaker row, an audit entry, one outbox message after commit.
    """
    email = email.strip().lower()
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and panel.speakers.filter(user=user).exists():
            raise ValidationError(
                {"email": _("%(email)s already speaks on this panel.") % {"email": email}}
            )
        password_link = ""
        if user is None:
            guest = _guest_profile(panel, participant, details.get("organisation"))
            user = create_account(
                email,
                full_name=name,
                password=None,
                role=Role.SPEAKER,
                language=guest["language"],
                organisation=guest["organisation"],
                time_zone=guest["time_zone"],
            )
            password_link = absolute_url(
                reverse(
                    "account_reset_password_from_key",
                    kwargs={
                        "uidb36": user_pk_to_url_str(user),
                        "key": default_token_generator.make_token(user),
                    },
                )
            )
        position = (panel.speakers.aggregate(last=Max("position"))["last"] or 0) + 1
        speaker = Speaker.objects.create(
            panel=panel, user=user, participant=participant, name=name, position=position, **details
        )
        # Shared versions are readable by every speaker of the panel, newcomers too.
        _keep_brief_readers(panel)
        log_action(speaker, "panels.speaker.add", actor=actor, data={"email": email})
        queue_mails(
            [
                MailSpec(
                    to=[email],
                    template="panels/speaker_invitation",
                    context={
                        "speaker": speaker,
                        "panel": panel,
                        "conference": panel.conference,
                        "link": absolute_url(reverse("panels:points", args=[panel.pk])),
                        "password_link": password_link,
                        "due": panel.points_due,
                    },
                    idempotency_key=f"panels.speaker_invitation:{speaker.pk}",
                    language=user.language,
                    reply_to=reply_to(actor),
                    about=speaker,
                    secrets=("password_link",),
                )
            ],
            actor=actor,
        )
    return speaker


def remove_speaker(speaker: Speaker, *, actor: Actor) -> None:
    """Take a speaker off the panel, with their points. Side effects: rows, audit."""
    with transaction.atomic():
        log_action(speaker.panel, "panels.speaker.remove", actor=actor, data={"name": speaker.name})
        speaker.delete()
        _keep_brief_readers(speaker.panel)


def confirm_speaker(speaker: Speaker, *, actor: Actor) -> Speaker:
    """The speaker (or the secretariat for them) confirms they will speak."""
    if speaker.confirmed_at is None:
        with transaction.atomic():
            speaker.confirmed_at = timezone.now()
            speaker.save(update_fields=["confirmed_at"])
            log_action(speaker, "panels.speaker.confirm", actor=actor)
    return speaker


# --- Talking points ---------------------------------------------------------------------


def save_points(
    speaker: Speaker,
    points: TalkingPoints,
    *,
    submit: bool,
    actor: Actor,
    projects: Iterable[PartnershipProject] | None = None,
) -> TalkingPoints:
    """Save a speaker's talking points as a draft, or submit them to the moderator.

    Points stay editable (and can be resubmitted) until the moderator locks the brief;
    the panel's row is locked while checking, so a save cannot slip past a lock.
    ``projects`` (when given) replaces the partnership projects the points cite.
    Raises ValidationError once locked. Side effects: the TalkingPoints row, its
    project references, an audit entry.
    """
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=speaker.panel_id)
        if panel.is_locked:
            raise ValidationError(
                _("The moderator has locked the brief; talking points can no longer change.")
            )
        points.speaker = speaker
        if submit:
            points.submitted_at = timezone.now()
        points.save()
        if projects is not None:
            points.projects.set(projects)
        log_action(
            speaker,
            "panels.points.submit" if submit else "panels.points.save",
            actor=actor,
        )
    return points


# --- The brief --------------------------------------------------------------------------


def overrun(panel: Panel, total_minutes: int) -> int:
    """Minutes by which a run of show of ``total_minutes`` overruns the panel's slot."""
    slot = panel.slot_minutes
    if slot is None:
        return 0
    return max(total_minutes - int(slot), 0)


def run_of_show_error(panel: Panel, total_minutes: int) -> str | None:
    """The message for a run of show that does not fit, or None when it fits."""
    over = overrun(panel, total_minutes)
    if not over:
        return None
    return _(
        "The run of show takes %(total)s minutes but the slot has %(slot)s: "
        "it runs over by %(over)s minutes."
    ) % {"total": total_minutes, "slot": panel.slot_minutes, "over": over}


def _refuse_if_locked(panel: Panel) -> None:
    if panel.is_locked:
        raise ValidationError(_("The brief is locked; unlock it to make changes."))


def save_brief(
    panel: Panel,
    *,
    introduction: str,
    closing_remarks: str,
    speaker_notes: Iterable[tuple[Speaker, str, str]],
    segments: list[dict[str, Any]],
    actor: Actor,
) -> Panel:
    """Save the moderator's brief: texts, notes per speaker and the run of show.

    ``speaker_notes`` is ``[(speaker, bio_line, questions)]``; ``segments`` is
    ``[{"title", "minutes", "speaker"}]`` in order and replaces the run of show. All or
    nothing: raises ValidationError when the brief is locked or the run of show
    overruns the agenda slot. Side effects: the panel's brief fields, the speakers'
    notes, Segment rows, an audit entry.
    """
    error = run_of_show_error(panel, sum(segment["minutes"] for segment in segments))
    if error:
        raise ValidationError(error)
    with transaction.atomic():
        panel = (
            Panel.objects.select_for_update(of=("self",))
            .select_related("agenda_session")
            .get(pk=panel.pk)
        )
        _refuse_if_locked(panel)
        panel.introduction = introduction
        panel.closing_remarks = closing_remarks
        panel.save(update_fields=["introduction", "closing_remarks"])
        for speaker, bio_line, questions in speaker_notes:
            if speaker.panel_id != panel.pk:
                raise ValidationError(_("That speaker is not on this panel."))
            speaker.bio_line = bio_line
            speaker.questions = questions
            speaker.save(update_fields=["bio_line", "questions"])
        panel.segments.all().delete()
        Segment.objects.bulk_create(
            Segment(panel=panel, position=n, **segment) for n, segment in enumerate(segments, 1)
        )
        log_action(panel, "panels.brief.save", actor=actor)
    return panel


def lock_brief(panel: Panel, *, actor: Actor) -> Panel:
    """Freeze the brief and the speakers' points. Side effects: lock time, status brief
    ready, audit."""
    return _set_lock(panel, locked=True, actor=actor)


def unlock_brief(panel: Panel, *, actor: Actor) -> Panel:
    """Reopen the brief and the points. Side effects: lock cleared, status collecting,
    audit."""
    return _set_lock(panel, locked=False, actor=actor)


def _set_lock(panel: Panel, *, locked: bool, actor: Actor) -> Panel:
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        panel.brief_locked_at = timezone.now() if locked else None
        if panel.status != PanelStatus.HELD:
            panel.status = PanelStatus.BRIEF_READY if locked else PanelStatus.COLLECTING
        panel.save(update_fields=["brief_locked_at", "status"])
        log_action(panel, "panels.brief.lock" if locked else "panels.brief.unlock", actor=actor)
    return panel


def save_brief_version(panel: Panel, *, actor: Actor) -> BriefVersion:
    """Keep the brief as it stands as the next numbered version and render its PDF.

    Side effects: a BriefVersion row with the content snapshot, a pending
    GeneratedDocument (rendered in the background), audit entries.
    """
    content = queries.brief_content(panel)
    return publish_version(
        BriefVersion,
        panel,
        content=content,
        document=lambda version: DocumentRequest(
            about=version,
            kind=DocumentKind.PANEL_BRIEF,
            title=_("Brief for panel %(number)s: %(title)s")
            % {"number": panel.number, "title": panel.title},
            template_name="pdf/panels/brief.html",
            # Made again in each language the PDF is rendered in (section labels).
            context=queries.brief_content(panel),
            view_permission="panels.view_brief_version",
        ),
        action="panels.brief.version",
        actor=actor,
    )


def share_brief(version: BriefVersion, *, actor: Actor) -> list[OutgoingMail]:
    """E-mail the version's PDF to every speaker of the panel, once per speaker.

    Raises ValidationError while the PDF is not ready. Sharing the same version again
    sends nothing new (the outbox's idempotency key is per version and speaker); a
    speaker added later gets it on the next share. Side effects: shared time, outbox
    messages with the PDF attached, on the first share its place in the meeting's
    register (register_brief), an audit entry. Returns the messages queued.
    """
    document = version.document
    if document is None or document.status != DocumentStatus.READY:
        raise ValidationError(_("The PDF of this version is not ready yet; share it once it is."))
    with document.file.open("rb") as handle:
        pdf = handle.read()
    panel = version.panel
    speakers = panel.speakers.select_related("user").order_by("position", "pk")
    specs = [
        MailSpec(
            to=[speaker.user.email],
            template="panels/brief_shared",
            context={
                "speaker": speaker,
                "panel": panel,
                "version": version.number,
                "link": absolute_url(reverse("panels:points", args=[panel.pk])),
            },
            idempotency_key=f"panels.brief_shared:{version.pk}:{speaker.pk}",
            language=speaker.user.language,
            reply_to=reply_to(actor),
            attachments=[
                Attachment(
                    f"panel-{panel.number}-brief-v{version.number}.pdf", pdf, "application/pdf"
                )
            ],
            about=speaker,
        )
        for speaker in speakers
    ]
    with transaction.atomic():
        mails = queue_mails(specs, actor=actor)
        # Locked: two shares at once register the version once.
        shared_at = (
            BriefVersion.objects.select_for_update()
            .filter(pk=version.pk)
            .values_list("shared_at", flat=True)
            .get()
        )
        if shared_at is None:
            version.shared_at = timezone.now()
            version.save(update_fields=["shared_at"])
            register_brief(version, actor=actor)
        log_action(panel, "panels.brief.share", actor=actor, data={"version": version.number})
    return mails


def brief_title(panel: Panel) -> str:
    return _("Brief for panel %(number)s: %(title)s") % {
        "number": panel.number,
        "title": panel.title,
    }


def brief_readers(panel: Panel) -> list[User]:
    """Who may read the panel's shared brief versions besides the secretariat: its
    moderator and its speakers (as panels.view_brief_version says of a shared one)."""
    return list(
        User.objects.filter(Q(pk=panel.moderator_id) | Q(panel_speakers__panel=panel)).distinct()
    )


def register_brief(version: BriefVersion, *, actor: Actor) -> None:
    """Put a brief version, as it is first shared with the speakers, in the meeting's
    register: a new symbol the first time, a revision of it after.

    Registered when shared, not when saved: speakers read a version only once it is
    shared, and a register entry's readers read its latest revision, so an unshared
    version in the register would show them what they may not read yet. A version
    shared after a later one was (an older one, sent late) stays out: it would become a
    revision superseding the newer text. Distributed to a named list, the moderator
    and the speakers, kept in step as they change (save_panel, add_speaker,
    remove_speaker); no submitter is recorded (a replaced moderator would keep reading).
    Side effects: see register_generated; the panel's ``brief_registered_as`` the
    first time.
    """
    with transaction.atomic():
        # Locked: two versions shared at once make one symbol, not two.
        panel = (
            Panel.objects.select_for_update(of=("self",))
            .select_related("conference__meeting", "brief_registered_as")
            .get(pk=version.panel_id)
        )
        if panel.brief_versions.filter(number__gt=version.number, shared_at__isnull=False).exists():
            return
        register_generated(
            panel.conference.meeting,
            version.document,
            kept_on=(panel, "brief_registered_as"),
            title=lambda: brief_title(panel),
            actor=actor,
            distribution=Distribution.NAMED,
            readers=brief_readers(panel),
            record_submitter=False,
        )


def _keep_brief_readers(panel: Panel) -> None:
    entry = panel.brief_registered_as
    if entry is not None:
        set_readers(entry, brief_readers(panel))


# --- Reminders --------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 7


def send_points_reminders(*, today: date | None = None) -> int:
    """Remind speakers who have not submitted their points as the due date nears or
    passes, while the panel collects points and the brief is open.

    At most once a day per speaker: the idempotency key carries the date. Side
    effects: one outbox message per speaker reminded.
    """
    today = today or timezone.localdate()
    speakers = (
        Speaker.objects.filter(
            panel__status__in=[PanelStatus.PLANNING, PanelStatus.COLLECTING],
            panel__brief_locked_at__isnull=True,
            panel__points_due__isnull=False,
            panel__points_due__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        )
        .exclude(points__submitted_at__isnull=False)
        .select_related("user", "panel__conference")
        .order_by("pk")
    )
    return queue_speaker_reminders(
        speakers,
        template="panels/points_reminder",
        day=lambda speaker: today,
        context=lambda speaker: {
            "due": speaker.panel.points_due,
            # The query asked for a due date.
            "overdue": speaker.panel.points_due is not None and speaker.panel.points_due < today,
            "link": absolute_url(reverse("panels:points", args=[speaker.panel_id])),
        },
    )


def queue_speaker_reminders(
    speakers: Iterable[Speaker],
    *,
    template: str,
    day: Callable[[Speaker], date],
    context: Callable[[Speaker], dict[str, Any]],
) -> int:
    """Queue ``template`` to each speaker, in their language, with the speaker, the panel
    and ``context(speaker)``. The idempotency key names the template and ``day(speaker)``,
    so a rerun on the same day sends nothing more. Returns how many were queued."""
    specs = [
        MailSpec(
            to=[speaker.user.email],
            template=template,
            context={"speaker": speaker, "panel": speaker.panel, **context(speaker)},
            idempotency_key=f"{template.replace('/', '.')}:{speaker.pk}:{day(speaker).isoformat()}",
            language=speaker.user.language,
            about=speaker,
        )
        for speaker in speakers
    ]
    with transaction.atomic():
        return len(queue_mails(specs))


def talking_points_for(speaker: Speaker) -> TalkingPoints:
    """The speaker's points, or a new unsaved draft."""
    return TalkingPoints.objects.filter(speaker=speaker).first() or TalkingPoints(speaker=speaker)


def save_outcome_note(panel: Panel, *, note: str, actor: Actor) -> Panel:
    """Keep what the panel came to, in its moderator's words, for the meeting's outcome
    report. Side effects: the panel's outcome note, an audit entry, in one transaction."""
    with transaction.atomic():
        panel.outcome_note = note
        panel.save(update_fields=["outcome_note"])
        log_action(panel, "panels.panel.outcome_note", actor=actor, data={"length": len(note)})
    return panel
