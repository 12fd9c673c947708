"""Pages of speakers' slides: the moderator's deadline, and each speaker's uploads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ascn_portal.core.uploads import UploadRefused
from panels import queries, slides
from panels.forms import SlidesDueForm, SlidesForm
from panels.models import Panel, Speaker


@login_required
def slides_due(request, pk):
    """The moderator (or the secretariat) sets the deadline for the panel's slides."""
    panel = get_object_or_404(
        Panel.objects.moderated_by(request.user).select_related(
            "conference__meeting", "agenda_session"
        ),
        pk=pk,
    )
    if not request.user.has_perm("panels.set_slides_due", panel):
        raise Http404
    form = SlidesDueForm(request.POST or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        due = form.cleaned_data["due"]
        try:
            slides.set_slides_due(panel, due=due, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Speakers may upload their slides until %(due)s.")
                % {"due": slides.in_meeting_zone(due, panel)}
                if due
                else _("The deadline for slides is removed."),
            )
            return redirect("panels:speakers", pk=panel.pk)
    return render(
        request,
        "panels/slides_due.html",
        {
            "panel": panel,
            "form": form,
            "starts": slides.in_meeting_zone(panel.agenda_session.starts_at, panel)
            if panel.agenda_session
            else "",
        },
        status=400 if form.errors else 200,
    )


@login_required
def speaker_slides(request, pk, speaker):
    """A speaker's slides: the speaker uploads and replaces them until the deadline, the
    secretariat at any time. Anyone else: 404."""
    speaker = get_object_or_404(
        Speaker.objects.slides_of(request.user).select_related(
            "panel__conference__meeting", "panel__agenda_session", "user"
        ),
        panel_id=pk,
        pk=speaker,
    )
    panel = speaker.panel
    can_upload = request.user.has_perm("panels.upload_slides", speaker)
    form = SlidesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = slides.upload_slides(
                speaker,
                upload=form.cleaned_data["file"],
                language=form.cleaned_data["language"],
                actor=request.user,
            )
        except (UploadRefused, ValidationError) as exc:
            form.add_error("file" if isinstance(exc, UploadRefused) else None, exc)
        else:
            messages.success(
                request,
                _("Your slides are in the register as %(symbol)s.") % {"symbol": stored.symbol}
                if speaker.user_id == request.user.pk
                else _("The slides are in the register as %(symbol)s.") % {"symbol": stored.symbol},
            )
            return redirect("panels:slides", pk=panel.pk, speaker=speaker.pk)
    return render(
        request,
        "panels/slides.html",
        {
            "speaker": speaker,
            "panel": panel,
            "form": form if can_upload else None,
            "closed": None if can_upload else slides.closed_message(panel),
            "due": slides.due_text(panel),
            "files": queries.slide_files(speaker),
        },
        status=400 if form.errors else 200,
    )
