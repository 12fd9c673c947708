"""Pages of coordination sessions and their agenda points (objects are fetched as
``lookups`` explains)."""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from meetings.coordination import queries
from meetings.coordination.forms import (
    AgendaPointForm,
    CancelForm,
    CoordinationSessionForm,
    GuestFormSet,
)
from meetings.coordination.models import AgendaPoint, CoordinationSession
from meetings.coordination.services import sessions as coordination
from meetings.coordination.views.lookups import (
    editable_session_or_404,
    meeting_or_404,
    session_or_404,
)

# --- Sessions -----------------------------------------------------------------------------


@login_required
def session_list(request, number):
    meeting = meeting_or_404(number)
    if not request.user.has_perm("meetings.view_coordination", meeting):
        raise Http404
    return render(
        request,
        "meetings/coordination/session_list.html",
        {"meeting": meeting, "sessions": queries.sessions_of(meeting, request.user)},
    )


@login_required
@permission_required("meetings.manage_coordination", raise_exception=True)
def session_create(request, number):
    meeting = meeting_or_404(number)
    return _session_form(request, meeting, CoordinationSession(meeting=meeting))


@login_required
def session_edit(request, number, pk):
    session = editable_session_or_404(request, number, pk)
    if session.is_cancelled:
        messages.error(request, _("A cancelled session cannot be changed."))
        return redirect(session)
    return _session_form(request, session.meeting, session)


def _session_form(request, meeting, session):
    people = queries.people_choices(session, request.user)
    form = CoordinationSessionForm(
        request.POST or None, instance=session, meeting=meeting, people=people
    )
    guests = GuestFormSet(request.POST or None, instance=session, prefix="guests")
    if request.method == "POST" and form.is_valid() and guests.is_valid():
        try:
            session = coordination.save_coordination_session(
                form.save(commit=False),
                invited_people=form.cleaned_data["invited_people"],
                invited_organisations=form.cleaned_data["invited_organisations"],
                guests_formset=guests,
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The coordination session is saved."))
            return redirect(session)
    return render(
        request,
        "meetings/coordination/session_form.html",
        {"meeting": meeting, "session": session, "form": form, "guests": guests},
    )


@login_required
def session_detail(request, number, pk):
    session = session_or_404(request, number, pk)
    can_edit = request.user.has_perm("meetings.change_coordination_session", session)
    when, own_when = queries.session_when(session, zoneinfo.ZoneInfo(request.user.time_zone))
    context = {
        "meeting": session.meeting,
        "session": session,
        "when": when,
        "own_when": own_when,
        "points": session.agenda_points.all(),
        "invited_people": session.invited_people.all(),
        "invited_organisations": session.invited_organisations.all(),
        "latest": session.minutes_versions.defer("content").first(),
        "can_edit": can_edit,
    }
    if can_edit:
        context.update(
            guests=session.guests.select_related("organisation"),
            point_form=AgendaPointForm(),
            cancel_form=CancelForm(),
            is_draft=session.minutes.is_draft,
        )
    return render(request, "meetings/coordination/session_detail.html", context)


@require_POST
@login_required
def session_invite(request, number, pk):
    session = editable_session_or_404(request, number, pk)
    try:
        count = coordination.send_invitations(session, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("The invitation is on its way to %(count)s people, with a calendar file.")
            % {"count": count},
        )
    return redirect(session)


@require_POST
@login_required
def session_cancel(request, number, pk):
    session = editable_session_or_404(request, number, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            coordination.cancel_coordination_session(
                session, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The session is cancelled."))
    else:
        messages.error(request, _("Give a reason for cancelling."))
    return redirect(session)


# --- Agenda points ------------------------------------------------------------------------


@login_required
def point_create(request, number, pk):
    session = editable_session_or_404(request, number, pk)
    return _point_form(request, session, AgendaPoint(session=session))


@login_required
def point_edit(request, number, pk, point):
    session = editable_session_or_404(request, number, pk)
    return _point_form(request, session, get_object_or_404(session.agenda_points, pk=point))


def _point_form(request, session, point):
    form = AgendaPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        try:
            coordination.save_agenda_point(form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The agenda is saved."))
            return redirect(session.get_absolute_url() + "#agenda-points")
    return render(
        request,
        "meetings/coordination/point_form.html",
        {"meeting": session.meeting, "session": session, "point": point, "form": form},
    )


@require_POST
@login_required
def point_move(request, number, pk, point):
    session = editable_session_or_404(request, number, pk)
    point = get_object_or_404(session.agenda_points, pk=point)
    try:
        coordination.move_agenda_point(
            point, up=request.POST.get("direction") == "up", actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(session.get_absolute_url() + "#agenda-points")


@require_POST
@login_required
def point_delete(request, number, pk, point):
    session = editable_session_or_404(request, number, pk)
    point = get_object_or_404(session.agenda_points, pk=point)
    try:
        coordination.delete_agenda_point(point, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("“%(title)s” is removed.") % {"title": point.title})
    return redirect(session.get_absolute_url() + "#agenda-points")
