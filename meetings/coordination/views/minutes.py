"""Pages of a coordination session's minutes: the editor and the published versions
(objects are fetched as ``lookups`` explains)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.coordination import queries
from meetings.coordination.forms import (
    ActionItemForm,
    ActionStatusForm,
    AttendanceFormSet,
    CorrectionForm,
    PointMinutesFormSet,
)
from meetings.coordination.services import minutes
from meetings.coordination.views.lookups import (
    editable_session_or_404,
    session_or_404,
)

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
            "versions": list(session.minutes_versions.select_related("document").defer("content")),
            "correction_form": CorrectionForm(),
            # Refused input shown again is not saved yet: leaving the page asks first.
            "unsaved": bool(bound),
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


# Where each button of the editor's one form returns the person after saving.
_SAVE_ANCHORS = {
    "attendance": "attendance",
    "prefill": "attendance",
    "points": "discussion",
    "action": "action-items",
}


@require_POST
@login_required
def minutes_save(request, number, pk, step="save"):
    """The editor's one form: every section it holds is validated and saved together,
    so a button of one section never discards what was typed in another. ``step`` (the
    button pressed, or the address posted to) says where to return and whether to list
    everyone invited or record the action item typed."""
    session = editable_session_or_404(request, number, pk)
    step = request.POST.get("step", step)
    people = queries.people_choices(session, request.user)
    bound = {}
    if "attendance-TOTAL_FORMS" in request.POST:
        bound["attendance"] = AttendanceFormSet(
            request.POST,
            instance=session,
            prefix="attendance",
            queryset=session.attendance.select_related("organisation"),
            form_kwargs={"people": people},
        )
    if "points-TOTAL_FORMS" in request.POST:
        bound["points"] = PointMinutesFormSet(
            request.POST, queryset=session.agenda_points.all(), prefix="points"
        )
    action_form = ActionItemForm(request.POST, session=session, people=people, prefix="action")
    if step == "action" or action_form.has_changed():
        bound["action_form"] = action_form
    # Every form is validated (no short-circuit) so each shows its own errors.
    valid = [form.is_valid() for form in bound.values()]
    if not all(valid):
        return _render_editor(request, session, status=400, **bound)
    item = action_form.save(commit=False) if "action_form" in bound else None
    try:
        added = minutes.save_minutes_page(
            session,
            attendance=bound.get("attendance"),
            points=bound.get("points"),
            action_item=item,
            prefill=step == "prefill",
            actor=request.user,
        )
    except ValidationError as exc:
        if item is not None:
            action_form.add_error(None, exc)
        else:
            messages.error(request, exc.messages[0])
        return _render_editor(request, session, status=400, **bound)
    if item is not None:
        messages.success(request, _("“%(title)s” is recorded.") % {"title": item.title})
    if step == "prefill":
        messages.success(
            request, _("%(count)s people from the invitation are listed.") % {"count": added}
        )
    if bound.keys() - {"action_form"}:
        messages.success(request, _("The minutes are saved."))
    return _editor_redirect(session, _SAVE_ANCHORS.get(step, "status"))


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
