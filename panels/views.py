from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from meetings.models import CoordinationSession, Meeting
from meetings.register.queries import documents_of_session
from panels import queries, services
from panels.forms import (
    BriefForm,
    ConferenceForm,
    OutcomeNoteForm,
    PanelForm,
    SegmentFormSet,
    SpeakerForm,
    SpeakerNotesForm,
    TalkingPointsForm,
)
from panels.models import BriefVersion, Conference, Panel, Speaker
from panels.slides import due_text


def _meeting(request, number):
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("host_country"), number=number
    )


def _public_panel(request, pk):
    """A panel of a meeting this person may see: its public part."""
    return get_object_or_404(
        Panel.objects.filter(
            conference__meeting__in=Meeting.objects.visible_to(request.user)
        ).select_related("conference__meeting", "agenda_session__room", "moderator"),
        pk=pk,
    )


def _composed_panel(request, pk):
    """A panel whose brief this person composes (its moderator, or the secretariat)."""
    return get_object_or_404(
        Panel.objects.moderated_by(request.user).select_related(
            "conference__meeting", "agenda_session__room", "moderator"
        ),
        pk=pk,
    )


def panel_list(request, number):
    """The conference of a meeting and its panels; progress columns for the secretariat."""
    meeting = _meeting(request, number)
    conference = (
        Conference.objects.filter(meeting=meeting)
        .prefetch_related("initiated_by", "co_hosted_by", "partner_organisations")
        .first()
    )
    return render(
        request,
        "panels/panel_list.html",
        {
            "meeting": meeting,
            "conference": conference,
            "panels": queries.panels_with_progress(conference) if conference else [],
        },
    )


@login_required
@permission_required("panels.manage_panels", raise_exception=True)
def conference_edit(request, number):
    meeting = _meeting(request, number)
    conference = Conference.objects.filter(meeting=meeting).first() or Conference(meeting=meeting)
    form = ConferenceForm(request.POST or None, instance=conference)
    if request.method == "POST" and form.is_valid():
        services.save_conference(
            form.save(commit=False),
            initiated_by=form.cleaned_data["initiated_by"],
            co_hosted_by=form.cleaned_data["co_hosted_by"],
            partner_organisations=form.cleaned_data["partner_organisations"],
            actor=request.user,
        )
        messages.success(request, _("The conference is saved."))
        return redirect("panels:list", number=meeting.number)
    return render(request, "panels/conference_form.html", {"meeting": meeting, "form": form})


@login_required
@permission_required("panels.manage_panels", raise_exception=True)
def panel_create(request, number):
    meeting = _meeting(request, number)
    conference = get_object_or_404(Conference, meeting=meeting)
    return _panel_form(request, Panel(conference=conference), conference)


@login_required
@permission_required("panels.manage_panels", raise_exception=True)
def panel_edit(request, pk):
    panel = _public_panel(request, pk)
    return _panel_form(request, panel, panel.conference)


def _panel_form(request, panel, conference):
    form = PanelForm(request.POST or None, instance=panel, conference=conference)
    if request.method == "POST" and form.is_valid():
        panel = services.save_panel(
            form.save(commit=False),
            objectives=form.cleaned_data["objectives"],
            coordination_sessions=form.cleaned_data["coordination_sessions"],
            actor=request.user,
        )
        messages.success(request, _("The panel is saved."))
        return redirect(panel)
    return render(
        request,
        "panels/panel_form.html",
        {"form": form, "panel": panel, "meeting": conference.meeting},
    )


def panel_detail(request, pk):
    """The public part of a panel: title, theme, objectives, slot and speakers."""
    panel = _public_panel(request, pk)
    speakers = list(queries.panel_speakers(panel, with_projects=False))
    return render(
        request,
        "panels/panel_detail.html",
        {
            "panel": panel,
            "meeting": panel.conference.meeting,
            "objectives": panel.objectives.all(),
            "speakers": speakers,
            "is_speaker": any(s.user_id == request.user.pk for s in speakers),
            "can_compose": request.user.has_perm("panels.compose_brief", panel),
            "preparations": _preparations(request, panel),
            "documents": documents_of_session(panel.agenda_session_id, viewer=request.user)
            if panel.agenda_session_id
            else [],
        },
    )


def _preparations(request, panel):
    """The coordination sessions preparing the panel that this person may open."""
    return (
        CoordinationSession.objects.visible_to(request.user)
        .filter(panels=panel)
        .order_by("starts_at")
    )


# --- Speakers ---------------------------------------------------------------------------


@login_required
def speakers(request, pk):
    """The panel's speakers for its moderator and the secretariat: add, confirm, remove."""
    panel = _composed_panel(request, pk)
    form = SpeakerForm(request.POST or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            speaker = services.add_speaker(
                panel,
                email=data["email"],
                name=data["name"],
                participant=data["participant"],
                organisation=data["organisation"],
                topic=data["topic"],
                minutes=data["minutes"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(name)s is on the panel and has been told.") % {"name": speaker.name}
            )
            return redirect("panels:speakers", pk=panel.pk)
    return render(
        request,
        "panels/speakers.html",
        {
            "panel": panel,
            "speakers": queries.panel_speakers(panel, with_projects=False),
            "form": form,
            "slides_due": due_text(panel),
        },
    )


def _managed_speaker(request, panel_pk, speaker_pk):
    panel = _composed_panel(request, panel_pk)
    return get_object_or_404(Speaker.objects.select_related("panel"), pk=speaker_pk, panel=panel)


@require_POST
@login_required
def speaker_remove(request, pk, speaker):
    speaker = _managed_speaker(request, pk, speaker)
    services.remove_speaker(speaker, actor=request.user)
    messages.success(request, _("%(name)s is off the panel.") % {"name": speaker.name})
    return redirect("panels:speakers", pk=pk)


# --- The speaker's own page -----------------------------------------------------------


def _own_speaker(request, pk):
    """This person's place on the panel; 404 for anyone who does not speak on it."""
    return get_object_or_404(
        Speaker.objects.select_related(
            "panel__conference__meeting", "panel__agenda_session__room", "panel__moderator"
        ),
        panel_id=pk,
        user=request.user,
    )


@login_required
def points(request, pk):
    """Where a speaker writes their talking points and finds the brief once shared."""
    speaker = _own_speaker(request, pk)
    panel = speaker.panel
    points = services.talking_points_for(speaker)
    form = TalkingPointsForm(request.POST or None, instance=points)
    if panel.is_locked:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.save_points(
                speaker,
                form.save(commit=False),
                projects=form.cleaned_data["projects"],
                submit=submit,
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your points are submitted to the moderator.")
                if submit
                else _("Your draft is saved."),
            )
            return redirect("panels:points", pk=panel.pk)
    return render(
        request,
        "panels/points.html",
        {
            "speaker": speaker,
            "panel": panel,
            "points": points,
            "form": form,
            "objectives": panel.objectives.all(),
            "speakers": queries.panel_speakers(panel, with_projects=False),
            "slides_due": due_text(panel),
            "shared": panel.brief_versions.filter(shared_at__isnull=False)
            .select_related("document")
            .first(),
        },
    )


@require_POST
@login_required
def speaker_confirm(request, pk):
    speaker = _own_speaker(request, pk)
    services.confirm_speaker(speaker, actor=request.user)
    messages.success(request, _("Thank you: you are confirmed as a speaker."))
    return redirect("panels:points", pk=pk)


# --- The moderator's brief --------------------------------------------------------------


@login_required
def composer(request, pk):
    """Objectives and every speaker's points beside the brief the moderator writes."""
    panel = _composed_panel(request, pk)
    speakers = list(queries.panel_speakers(panel))
    data = request.POST if request.method == "POST" else None
    brief_form = BriefForm(data, instance=panel)
    notes = [
        (speaker, SpeakerNotesForm(data, instance=speaker, prefix=f"speaker-{speaker.pk}"))
        for speaker in speakers
    ]
    segments = SegmentFormSet(
        data,
        panel=panel,
        speakers=speakers,
        prefix="segments",
        initial=[
            {"title": s.title, "minutes": s.minutes, "speaker": s.speaker_id}
            for s in panel.segments.all()
        ],
    )
    if data is not None:
        # One form holds the whole brief; its buttons say what follows the save.
        step = data.get("step", "save")
        if panel.is_locked:
            if step in ("version", "unlock"):
                return _after_brief(request, panel, step)
            messages.error(request, _("The brief is locked; unlock it to make changes."))
            return redirect("panels:composer", pk=panel.pk)
        # Every form is validated (no short-circuit) so each shows its own errors.
        notes_valid = [form.is_valid() for _speaker, form in notes]
        if brief_form.is_valid() & segments.is_valid() & all(notes_valid):
            try:
                with transaction.atomic():
                    services.save_brief(
                        panel,
                        introduction=brief_form.cleaned_data["introduction"],
                        closing_remarks=brief_form.cleaned_data["closing_remarks"],
                        speaker_notes=[
                            (speaker, form.cleaned_data["bio_line"], form.cleaned_data["questions"])
                            for speaker, form in notes
                        ],
                        segments=segments.segments(),
                        actor=request.user,
                    )
                    if step in ("version", "lock"):
                        return _after_brief(request, panel, step, saved=True)
            except ValidationError as exc:
                brief_form.add_error(None, exc)
            else:
                messages.success(request, _("The brief is saved."))
                return redirect("panels:composer", pk=panel.pk)
    elif panel.is_locked:
        for form in [brief_form, *(form for _speaker, form in notes), *segments.forms]:
            for field in form.fields.values():
                field.disabled = True
    return render(
        request,
        "panels/composer.html",
        {
            "panel": panel,
            "objectives": panel.objectives.all(),
            "preparations": _preparations(request, panel),
            "speakers": [
                (speaker, queries.points_of(speaker), queries.cited_projects(speaker), form)
                for speaker, form in notes
            ],
            "brief_form": brief_form,
            "slides_due": due_text(panel),
            "segments": segments,
            "outcome_form": OutcomeNoteForm(instance=panel)
            if request.user.has_perm("panels.write_outcome_note", panel)
            else None,
            # Refused input shown again is not saved yet: leaving the page asks first.
            "unsaved": data is not None,
            "versions": panel.brief_versions.select_related("document", "published_by").defer(
                "content"
            ),
        },
    )


def _after_brief(request, panel, step, *, saved=False):
    """Lock, unlock or make a version of the brief (after saving what was typed, when
    ``saved``), and return to the composer with what happened."""
    if saved:
        messages.success(request, _("The brief is saved."))
    if step == "unlock":
        services.unlock_brief(panel, actor=request.user)
        messages.success(request, _("The brief is open again; speakers can edit their points."))
    elif step == "lock":
        services.lock_brief(panel, actor=request.user)
        messages.success(request, _("The brief is locked; speakers' points are final."))
    else:
        version = services.save_brief_version(panel, actor=request.user)
        messages.success(
            request,
            _("Version %(number)s is saved; its PDF is being prepared.")
            % {"number": version.number},
        )
    return redirect("panels:composer", pk=panel.pk)


@require_POST
@login_required
def brief_lock(request, pk):
    panel = _composed_panel(request, pk)
    return _after_brief(request, panel, "unlock" if "unlock" in request.POST else "lock")


@require_POST
@login_required
def brief_version(request, pk):
    return _after_brief(request, _composed_panel(request, pk), "version")


@require_POST
@login_required
def brief_share(request, pk, number):
    panel = _composed_panel(request, pk)
    version = get_object_or_404(
        BriefVersion.objects.select_related("document", "panel"), panel=panel, number=number
    )
    try:
        mails = services.share_brief(version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Version %(number)s is shared with %(count)s speakers.")
            % {"number": version.number, "count": len(mails)},
        )
    return redirect("panels:composer", pk=pk)


@login_required
def outcome_note(request, pk):
    """The moderator's note on what the panel came to, once it has begun."""
    panel = _composed_panel(request, pk)
    if not request.user.has_perm("panels.write_outcome_note", panel):
        raise Http404
    form = OutcomeNoteForm(request.POST or None, instance=panel)
    if request.method == "POST" and form.is_valid():
        services.save_outcome_note(
            panel, note=form.cleaned_data["outcome_note"], actor=request.user
        )
        messages.success(request, _("The outcome note is saved."))
        return redirect("panels:composer", pk=panel.pk)
    return render(
        request,
        "panels/outcome_note.html",
        {"panel": panel, "form": form},
        status=400 if request.method == "POST" else 200,
    )
