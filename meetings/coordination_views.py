"""Pages of coordination sessions, their minutes and the action-item board.

Sessions and items are fetched through querysets narrowed to what the person may see
(``visible_to``): an outsider gets 404. Someone who sees a session but may not change
it (an invitee) gets 403 for the editing pages. The meeting itself may still be a
draft: its coordination happens before it is published.
"""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ascn_portal.core.permissions import get_visible_or_404
from meetings import coordination, minutes
from meetings import coordination_queries as queries
from meetings.coordination_forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaPointForm,
    AttendanceFormSet,
    BoardFilterForm,
    CancelForm,
    CoordinationSessionForm,
    CorrectionForm,
    GuestFormSet,
    PointMinutesFormSet,
)
from meetings.models import ActionItem, AgendaPoint, CoordinationSession, Meeting


def _meeting(number):
    return get_object_or_404(
        Meeting.objects.select_related("host_country", "chair_country"), number=number
    )


def _session(request, number, pk):
    """The session if this person may see it; 404 for everyone else."""
    return get_visible_or_404(
        CoordinationSession.objects.select_related(
            "meeting", "convening_organisation", "chair", "minutes"
        ),
        request.user,
        meeting__number=number,
        pk=pk,
    )


def _editable_session(request, number, pk):
    session = _session(request, number, pk)
    if not request.user.has_perm("meetings.change_coordination_session", session):
        raise PermissionDenied
    return session


def _next_url(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- Sessions -----------------------------------------------------------------------------


@login_required
def session_list(request, number):
    meeting = _meeting(number)
    if not queries.may_see_coordination(meeting, request.user):
        raise Http404
    return render(
        request,
        "meetings/coordination/session_list.html",
        {"meeting": meeting, "sessions": queries.sessions_of(meeting, request.user)},
    )


@login_required
@permission_required("meetings.manage_coordination", raise_exception=True)
def session_create(request, number):
    meeting = _meeting(number)
    return _session_form(request, meeting, CoordinationSession(meeting=meeting))


@login_required
def session_edit(request, number, pk):
    session = _editable_session(request, number, pk)
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
    session = _session(request, number, pk)
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
    session = _editable_session(request, number, pk)
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
    session = _editable_session(request, number, pk)
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
    session = _editable_session(request, number, pk)
    return _point_form(request, session, AgendaPoint(session=session))


@login_required
def point_edit(request, number, pk, point):
    session = _editable_session(request, number, pk)
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
    session = _editable_session(request, number, pk)
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
    session = _editable_session(request, number, pk)
    point = get_object_or_404(session.agenda_points, pk=point)
    try:
        coordination.delete_agenda_point(point, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("“%(title)s” is removed.") % {"title": point.title})
    return redirect(session.get_absolute_url() + "#agenda-points")


# --- The minutes editor -------------------------------------------------------------------


@login_required
def minutes_editor(request, number, pk):
    session = _editable_session(request, number, pk)
    return _render_editor(request, session)


def _editor_forms(request, session):
    people = queries.people_choices(session, request.user)
    return {
        "attendance": AttendanceFormSet(
            instance=session,
            prefix="attendance",
            queryset=session.attendance.select_related("organisation"),
            form_kwargs={"people": people},
        ),
        "points": PointMinutesFormSet(queryset=session.agenda_points.all(), prefix="points"),
        "action_form": ActionItemForm(session=session, people=people, prefix="action"),
        "people": people,
    }


def _render_editor(request, session, status=200, **bound):
    forms = _editor_forms(request, session)
    forms.update(bound)
    items = list(
        session.action_items.select_related("owner_person", "owner_organisation", "agenda_point")
    )
    earlier = list(queries.earlier_open_items(session))
    today = queries.local_today(session.meeting)
    queries.mark_overdue(items, today)
    queries.mark_overdue(earlier, today)
    return render(
        request,
        "meetings/coordination/minutes_editor.html",
        {
            "meeting": session.meeting,
            "session": session,
            "minutes": session.minutes,
            "attendance": forms["attendance"],
            "points": forms["points"],
            "action_form": forms["action_form"],
            "items": items,
            "earlier": earlier,
            "statuses": ActionStatusForm.base_fields["status"].choices,
            "versions": session.minutes_versions.defer("content"),
            "correction_form": CorrectionForm(),
            "editor_url": request.path,
        },
        status=status,
    )


def _editor_redirect(session, anchor):
    url = reverse(
        "meetings:minutes_editor", kwargs={"number": session.meeting.number, "pk": session.pk}
    )
    return redirect(f"{url}#{anchor}")


@require_POST
@login_required
def minutes_attendance(request, number, pk):
    session = _editable_session(request, number, pk)
    people = queries.people_choices(session, request.user)
    formset = AttendanceFormSet(
        request.POST,
        instance=session,
        prefix="attendance",
        queryset=session.attendance.select_related("organisation"),
        form_kwargs={"people": people},
    )
    if formset.is_valid():
        try:
            minutes.save_attendance(session, formset=formset, actor=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The attendance is saved."))
        return _editor_redirect(session, "attendance")
    return _render_editor(request, session, status=400, attendance=formset)


@require_POST
@login_required
def minutes_prefill(request, number, pk):
    session = _editable_session(request, number, pk)
    try:
        added = minutes.prefill_attendance(session, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("%(count)s people from the invitation are listed.") % {"count": added}
        )
    return _editor_redirect(session, "attendance")


@require_POST
@login_required
def minutes_points(request, number, pk):
    session = _editable_session(request, number, pk)
    formset = PointMinutesFormSet(
        request.POST, queryset=session.agenda_points.all(), prefix="points"
    )
    if formset.is_valid():
        try:
            minutes.save_point_minutes(session, formset=formset, actor=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The discussion and decisions are saved."))
        return _editor_redirect(session, "discussion")
    return _render_editor(request, session, status=400, points=formset)


@require_POST
@login_required
def action_create(request, number, pk):
    session = _editable_session(request, number, pk)
    form = ActionItemForm(
        request.POST,
        session=session,
        people=queries.people_choices(session, request.user),
        prefix="action",
    )
    if form.is_valid():
        try:
            item = minutes.record_action_item(session, form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(title)s” is recorded.") % {"title": item.title})
            return _editor_redirect(session, "action-items")
    return _render_editor(request, session, status=400, action_form=form)


def _minutes_step(request, number, pk, step, done):
    session = _editable_session(request, number, pk)
    try:
        step(session, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, done)
    return _editor_redirect(session, "status")


@require_POST
@login_required
def minutes_approve(request, number, pk):
    return _minutes_step(
        request, number, pk, minutes.approve_minutes, _("The minutes are approved.")
    )


@require_POST
@login_required
def minutes_reopen(request, number, pk):
    return _minutes_step(
        request, number, pk, minutes.reopen_minutes, _("The minutes are a draft again.")
    )


@require_POST
@login_required
def minutes_publish(request, number, pk):
    return _minutes_step(
        request,
        number,
        pk,
        minutes.publish_minutes,
        _("The minutes are published; the PDF is being prepared and goes to those present."),
    )


@require_POST
@login_required
def minutes_correct(request, number, pk):
    session = _editable_session(request, number, pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the correction changes."))
        return _editor_redirect(session, "status")
    try:
        minutes.start_correction(session, note=form.cleaned_data["note"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("The minutes are a draft again; publishing makes the next version.")
        )
    return _editor_redirect(session, "status")


# --- Published minutes --------------------------------------------------------------------


@login_required
def minutes_published(request, number, pk):
    """The latest published version of a session's minutes."""
    session = _session(request, number, pk)
    version = session.minutes_versions.select_related("document").first()
    if version is None:
        raise Http404
    return _render_version(request, session, version)


@login_required
def minutes_version(request, number, pk, version):
    session = _session(request, number, pk)
    version = get_object_or_404(session.minutes_versions.select_related("document"), number=version)
    return _render_version(request, session, version)


def _render_version(request, session, version):
    versions = list(session.minutes_versions.defer("content").order_by("-number"))
    return render(
        request,
        "meetings/coordination/minutes_published.html",
        {
            "meeting": session.meeting,
            "session": session,
            "version": version,
            "record": queries.minutes_record(version),
            "versions": versions,
            "is_latest": version.number == versions[0].number,
        },
    )


# --- Action items -------------------------------------------------------------------------


def _item(request, number, item):
    return get_visible_or_404(
        ActionItem.objects.select_related(
            "session__meeting", "owner_person", "owner_organisation", "agenda_point"
        ),
        request.user,
        session__meeting__number=number,
        pk=item,
    )


def _changeable_item(request, number, item):
    item = _item(request, number, item)
    if not request.user.has_perm("meetings.change_action_item", item):
        raise PermissionDenied
    return item


@login_required
def action_board(request, number):
    meeting = _meeting(number)
    if not queries.may_see_coordination(meeting, request.user):
        raise Http404
    items = queries.action_items_of(meeting, request.user)
    owners = (
        items.filter(owner_person__isnull=False)
        .order_by("owner_person__full_name")
        .values_list("owner_person_id", "owner_person__full_name")
        .distinct()
    )
    organisations = (
        items.filter(owner_organisation__isnull=False)
        .order_by("owner_organisation__name")
        .values_list("owner_organisation_id", "owner_organisation__name")
        .distinct()
    )
    form = BoardFilterForm(
        request.GET or None, owners=list(owners), organisations=list(organisations)
    )
    can_edit_all = (
        request.user.has_perm("meetings.manage_coordination")
        or request.user.chaired_coordination_sessions.filter(meeting=meeting).exists()
    )
    today = queries.local_today(meeting)
    return render(
        request,
        "meetings/coordination/action_board.html",
        {
            "meeting": meeting,
            "form": form,
            "columns": queries.board(form.filter(items), today),
            "today": today,
            "can_edit_all": can_edit_all,
            "statuses": ActionStatusForm.base_fields["status"].choices,
            "board_url": request.get_full_path(),
        },
    )


@login_required
def action_edit(request, number, item):
    item = _changeable_item(request, number, item)
    session = item.session
    back = _next_url(request, reverse("meetings:action_board", args=[number]))
    form = ActionItemForm(
        request.POST or None,
        instance=item,
        session=session,
        people=queries.people_choices(session, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            minutes.update_action_item(form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": item.title})
            return redirect(back)
    return render(
        request,
        "meetings/coordination/action_item_form.html",
        {"meeting": session.meeting, "item": item, "form": form, "back": back},
    )


@require_POST
@login_required
def action_status(request, number, item):
    """The quick status change of the board and of a later session's review."""
    item = _changeable_item(request, number, item)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        minutes.set_action_item_status(item, status=form.cleaned_data["status"], actor=request.user)
        item.refresh_from_db()
    if request.htmx:
        queries.mark_overdue([item], queries.local_today(item.session.meeting))
        return render(
            request,
            "meetings/coordination/partials/status_form.html",
            {
                "meeting": item.session.meeting,
                "item": item,
                "statuses": ActionStatusForm.base_fields["status"].choices,
                "next": _next_url(request, ""),
                "saved": form.is_valid(),
            },
        )
    if form.is_valid():
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": item.title, "status": item.get_status_display().lower()},
        )
    return redirect(_next_url(request, reverse("meetings:action_board", args=[number])))
