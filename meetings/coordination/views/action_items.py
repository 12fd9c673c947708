"""The meeting's action items: the board, and an item's edit and status change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.coordination import queries
from meetings.coordination.forms import ActionItemForm, ActionStatusForm, BoardFilterForm
from meetings.coordination.rules import owns_item
from meetings.coordination.services import action_items
from meetings.coordination.views.lookups import (
    changeable_item_or_404,
    item_or_404,
    meeting_or_404,
    safe_next_url,
    status_changeable_item_or_404,
)


@login_required
def action_board(request, number):
    meeting = meeting_or_404(number)
    if not request.user.has_perm("meetings.view_coordination", meeting):
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
    today = queries.local_today(meeting)
    columns = queries.board(form.filter(items), today)
    for _status, _label, owners in columns:
        for _owner, owned in owners:
            for item in owned:
                item.owned_by_viewer = owns_item(request.user, item)
    return render(
        request,
        "meetings/coordination/action_board.html",
        {
            "meeting": meeting,
            "form": form,
            "columns": columns,
            "today": today,
            "can_edit_all": request.user.has_perm("meetings.change_action_items_of", meeting),
            "statuses": ActionStatusForm.base_fields["status"].choices,
            "owner_statuses": ActionStatusForm(owner_only=True).fields["status"].choices,
            "board_url": request.get_full_path(),
        },
    )


@login_required
def action_edit(request, number, item):
    item = changeable_item_or_404(request, number, item)
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


@login_required
def action_detail(request, number, item):
    """One action item: what, who, when, its history, and the status change of those
    who may make it (its owner among them)."""
    item = item_or_404(request, number, item)
    can_change = request.user.has_perm("meetings.change_action_item_status", item)
    as_owner = not request.user.has_perm("meetings.change_action_item", item)
    queries.mark_overdue([item], queries.local_today(item.session.meeting))
    return render(
        request,
        "meetings/coordination/action_item_detail.html",
        {
            "meeting": item.session.meeting,
            "item": item,
            "history": queries.item_history(item),
            "form": ActionStatusForm(initial={"status": item.status}, owner_only=as_owner)
            if can_change
            else None,
            "can_edit": not as_owner,
        },
    )


@require_POST
@login_required
def action_status(request, number, item):
    """The quick status change of the board and of a later session's review, and the
    owner's change with a note on the item's page."""
    item = status_changeable_item_or_404(request, number, item)
    as_owner = not request.user.has_perm("meetings.change_action_item", item)
    form = ActionStatusForm(request.POST, owner_only=as_owner)
    if form.is_valid():
        try:
            action_items.set_action_item_status(
                item,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
                as_owner=as_owner,
            )
        except ValidationError as exc:
            form.add_error("status", exc)
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
    else:
        messages.error(request, _("Choose one of the statuses offered."))
    return redirect(safe_next_url(request, reverse("meetings:action_board", args=[number])))
