"""Pages of a coordination session's minutes (the editor and the published versions)
and of the meeting's action items. Objects are fetched as in ``coordination_views``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascn_portal.core.permissions import get_visible_or_404
from meetings import action_items, minutes
from meetings import coordination_queries as queries
from meetings.coordination_forms import (
    ActionItemForm,
    ActionStatusForm,
    AttendanceFormSet,
    BoardFilterForm,
    CorrectionForm,
    PointMinutesFormSet,
)
from meetings.coordination_views import (
    editable_session_or_404,
    meeting_or_404,
    safe_next_url,
    session_or_404,
)
from meetings.models import ActionItem

# --- The minutes editor -------------------------------------------------------------------


@login_required
def minutes_editor(request, number, pk):
    session = editable_session_or_404(request, number, pk)
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
            # Where the status forms and edit links return, also after a refused POST.
            "editor_url": reverse(
                "meetings:minutes_editor",
                kwargs={"number": session.meeting.number, "pk": session.pk},
            ),
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
    session = editable_session_or_404(request, number, pk)
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
    session = editable_session_or_404(request, number, pk)
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
    session = editable_session_or_404(request, number, pk)
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
    session = editable_session_or_404(request, number, pk)
    form = ActionItemForm(
        request.POST,
        session=session,
        people=queries.people_choices(session, request.user),
        prefix="action",
    )
    if form.is_valid():
        try:
            item = action_items.record_action_item(
                session, form.save(commit=False), actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(title)s” is recorded.") % {"title": item.title})
            return _editor_redirect(session, "action-items")
    return _render_editor(request, session, status=400, action_form=form)


def _minutes_step(request, number, pk, step, done):
    session = editable_session_or_404(request, number, pk)
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
    session = editable_session_or_404(request, number, pk)
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
    session = session_or_404(request, number, pk)
    version = session.minutes_versions.select_related("document").first()
    if version is None:
        raise Http404
    return _render_version(request, session, version)


@login_required
def minutes_version(request, number, pk, version):
    session = session_or_404(request, number, pk)
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
    meeting = meeting_or_404(number)
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
    back = safe_next_url(request, reverse("meetings:action_board", args=[number]))
    form = ActionItemForm(
        request.POST or None,
        instance=item,
        session=session,
        people=queries.people_choices(session, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            action_items.update_action_item(form.save(commit=False), actor=request.user)
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
        action_items.set_action_item_status(
            item, status=form.cleaned_data["status"], actor=request.user
        )
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
                "next": safe_next_url(request, ""),
                "saved": form.is_valid(),
            },
        )
    if form.is_valid():
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": item.title, "status": item.get_status_display().lower()},
        )
    return redirect(safe_next_url(request, reverse("meetings:action_board", args=[number])))
