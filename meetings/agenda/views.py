import hashlib
import zoneinfo
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget
from rules.contrib.views import permission_required

from ascn_portal.core.permissions import get_visible_or_404
from ascn_portal.core.sites import absolute_url
from ascn_portal.core.tokens import hash_token
from meetings.agenda import calendar, queries, services
from meetings.agenda.enums import SessionKind, Visibility
from meetings.agenda.forms import AgendaFilterForm, AgendaSessionForm, MeetingForm, RoomFormSet
from meetings.agenda.models import AgendaSession, CalendarSubscription, Meeting
from meetings.agenda.rules import visible_levels
from meetings.register import queries as register_queries

MEETINGS_PAGE_SIZE = 25
# A published version never changes; its rendered agenda is kept this long after a read.
AGENDA_CACHE_SECONDS = 60 * 60


def _meeting(request, number):
    return get_visible_or_404(
        Meeting.objects.select_related("host_country", "chair_country"),
        request.user,
        number=number,
    )


def meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).select_related(
        "host_country", "chair_country"
    )
    page = Paginator(meetings, MEETINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_list.html", {"page": page})


def meeting_detail(request, number):
    meeting = _meeting(request, number)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "rooms": meeting.rooms.all(),
            "shows_coordination": request.user.has_perm("meetings.view_coordination", meeting),
        },
    )


@login_required
@permission_required("meetings.manage_meeting", raise_exception=True)
def meeting_create(request):
    return _meeting_form(request, Meeting())


@login_required
@permission_required("meetings.manage_meeting", raise_exception=True)
def meeting_edit(request, number):
    return _meeting_form(request, get_object_or_404(Meeting, number=number))


def _meeting_form(request, meeting):
    form = MeetingForm(request.POST or None, instance=meeting)
    rooms = RoomFormSet(request.POST or None, instance=meeting, prefix="rooms")
    if request.method == "POST" and form.is_valid() and rooms.is_valid():
        try:
            meeting = services.save_meeting(
                form.save(commit=False), rooms_formset=rooms, actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            for warning in services.date_warnings(meeting):
                messages.warning(request, warning)
            return redirect(meeting)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "rooms": rooms, "meeting": meeting}
    )


# --- Planning the agenda --------------------------------------------------------------


def _plan_context(meeting, **extra):
    version = queries.latest_version(meeting)
    pending = services.unpublished_changes(meeting, since=version) if version else None
    return {
        "meeting": meeting,
        "days": queries.agenda_days(meeting),
        "version": version,
        "pending": pending,
        "pending_count": queries.count_changes(pending) if pending else 0,
        **extra,
    }


@login_required
@permission_required("meetings.manage_meeting", raise_exception=True)
def agenda_plan(request, number):
    meeting = get_object_or_404(Meeting, number=number)
    template = "meetings/partials/agenda_plan.html" if request.htmx else "meetings/agenda_plan.html"
    return render(request, template, _plan_context(meeting))


@login_required
@permission_required("meetings.manage_meeting", raise_exception=True)
def session_create(request, number):
    meeting = get_object_or_404(Meeting, number=number)
    session = AgendaSession(meeting=meeting)
    initial = {"day": request.GET.get("day")} if request.GET.get("day") else None
    return _session_form(request, meeting, session, initial=initial)


@login_required
@permission_required("meetings.manage_meeting", raise_exception=True)
def session_edit(request, number, pk):
    meeting = get_object_or_404(Meeting, number=number)
    session = get_object_or_404(
        AgendaSession.objects.select_related("room"), meeting=meeting, pk=pk
    )
    return _session_form(request, meeting, session)


def _session_form(request, meeting, session, initial=None):
    form = AgendaSessionForm(
        request.POST or None,
        instance=session,
        meeting=meeting,
        initial=initial,
        # Several sessions may be open for editing at once: their inputs' ids differ.
        auto_id=f"id_session_{session.pk or 'new'}_%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            warnings = services.save_session(form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _after_change(request, meeting, warnings)
    context = {"meeting": meeting, "form": form, "session": session}
    if request.htmx:
        response = render(request, "meetings/partials/session_form.html", context)
        if request.method == "POST":
            # The form comes back with its errors in its own place, not over the agenda.
            # Matches the form's id in partials/session_form.html.
            form_id = f"#session-form-{session.pk or 'new'}"
            response = reswap(retarget(response, form_id), "outerHTML")
        return response
    return render(request, "meetings/session_form.html", context)


@require_POST
@login_required
@permission_required("meetings.manage_meeting", raise_exception=True)
def session_delete(request, number, pk):
    meeting = get_object_or_404(Meeting, number=number)
    session = get_object_or_404(AgendaSession, meeting=meeting, pk=pk)
    services.delete_session(session, actor=request.user)
    return _after_change(
        request, meeting, [], _("“%(title)s” is removed.") % {"title": session.title}
    )


def _after_change(request, meeting, warnings, notice=None):
    notice = notice or _("The agenda is saved.")
    if request.htmx:
        return render(
            request,
            "meetings/partials/agenda_plan.html",
            _plan_context(meeting, notice=notice, warnings=warnings),
        )
    messages.success(request, notice)
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("meetings:agenda_plan", number=meeting.number)


@require_POST
@login_required
@permission_required("meetings.manage_meeting", raise_exception=True)
def agenda_publish(request, number):
    meeting = get_object_or_404(Meeting, number=number)
    try:
        version = services.publish_agenda(meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("meetings:agenda_plan", number=number)
    messages.success(
        request,
        _("Version %(number)s of the agenda is published; its PDF is being prepared.")
        % {"number": version.number},
    )
    if version.number > 1:
        # What changed, and who was told of it.
        return redirect("meetings:agenda_changes", number=number, version=version.number)
    return redirect("meetings:agenda", number=number)


def agenda_changes(request, number, version):
    """What changed in one version of the agenda: the sessions added, removed, moved
    and retitled that this person may see, in the meeting's time and their own; for
    the secretariat, the change notices sent and to whom."""
    meeting = _meeting(request, number)
    version = get_object_or_404(meeting.versions.defer("content"), number=version)
    changes = services.notice_changes(version.changes, levels=visible_levels(request.user, meeting))
    notices = (
        list(queries.change_notices(version)) if request.user.has_perm("core.view_outbox") else None
    )
    return render(
        request,
        "meetings/agenda_changes.html",
        {
            "meeting": meeting,
            "version": version,
            "changes": changes,
            "change_count": queries.count_changes(changes),
            "notices": notices,
            "own_zone": request.user.time_zone if request.user.is_authenticated else None,
        },
    )


# --- Reading the published agenda -------------------------------------------------------


def agenda(request, number):
    """The latest published agenda, by day, with the sessions this person may see."""
    return _agenda(request, number, person=None)


def agenda_grid(request, number):
    """The same agenda as a grid per day: rooms across, time down (a list on a phone)."""
    return _agenda(request, number, person=None, grid=True)


@login_required
def my_agenda(request, number):
    """The sessions this person may see plus those they chair, moderate or speak in;
    404 for someone with no hat at the meeting."""
    return _agenda(request, number, person=request.user)


def _my_meeting(request, number):
    """The meeting if this person has a hat there (or is staff); 404 for anyone else."""
    meeting = _meeting(request, number)
    if not request.user.has_perm("meetings.view_my_agenda", meeting):
        raise Http404
    return meeting


def _agenda(request, number, *, person, grid=False):
    meeting = _my_meeting(request, number) if person is not None else _meeting(request, number)
    levels = visible_levels(request.user, meeting)
    page = {
        "meeting": meeting,
        "mine": person is not None,
        "has_my_agenda": request.user.has_perm("meetings.view_my_agenda", meeting),
        # Session pages live under the agenda's address: one reverse() for all links.
        "agenda_url": reverse("meetings:agenda", args=[meeting.number]),
        # The booklet and earlier versions print the sessions open to participants.
        "shows_documents": Visibility.PARTICIPANTS in levels,
    }
    if grid or request.GET:
        page.update(_agenda_listing(request, page, levels=levels, person=person, grid=grid))
    else:
        # The whole agenda: rendered once per version and audience, then cached.
        page.update(_cached_agenda_listing(request, page, levels=levels, person=person))
    return render(request, "meetings/agenda_grid.html" if grid else "meetings/agenda.html", page)


def _agenda_listing(request, page, *, levels, person, grid=False, version=None):
    """What the agenda page shows under its heading: the latest version's sessions this
    person may see (filtered as asked), by day or as a grid, the filter form, earlier
    versions; ``body_html`` is the list rendered (the grid's template draws its own)."""
    meeting = page["meeting"]
    version = version or queries.latest_version(meeting)
    form = AgendaFilterForm(request.GET or None, meeting=meeting)
    sessions = []
    if version is not None:
        sessions = queries.published_sessions(
            version,
            levels=levels,
            viewer_zone=_viewer_zone(request),
            person=person,
        )
        sessions = form.filter(sessions)
    days = [(day, list(group)) for day, group in groupby(sessions, key=lambda s: s["day"])]
    in_own_zone = grid and request.GET.get("zone") == "own" and request.user.is_authenticated
    listing = {
        "version": version,
        "versions": queries.earlier_versions(meeting),
        "days": days,
        "grid": queries.agenda_grid(queries.in_viewer_zone(sessions) if in_own_zone else sessions)
        if grid
        else None,
        "in_own_zone": in_own_zone,
        "form": form,
        "shows_viewer_zone": any("viewer_start" in session for session in sessions),
    }
    if not grid:
        listing["body_html"] = render_to_string(
            "meetings/partials/agenda_body.html", {**page, **listing}, request=request
        )
    return listing


def _cached_agenda_listing(request, page, *, levels, person):
    """``body_html`` and ``shows_viewer_zone`` of the unfiltered list, cached per
    version, language, viewer's zone and what the viewer may see: visibility levels,
    whether signed in, has "My agenda", and on "My agenda" their own sessions (which
    follow their relations without a new version). A new version has keys of its own,
    so nobody reads an agenda older than the latest published one."""
    meeting = page["meeting"]
    version = queries.latest_version(meeting, with_sessions=False)
    if version is None:
        return _agenda_listing(request, page, levels=levels, person=person)
    audience = [
        ",".join(sorted(levels)),
        f"signed-in={request.user.is_authenticated}",
        f"has-mine={page['has_my_agenda']}",
    ]
    if person is not None:
        own = sorted(queries.own_session_ids(meeting, person))
        audience.append("own-" + hashlib.sha256(repr(own).encode()).hexdigest()[:16])
    zone = _viewer_zone(request)
    key = f"meetings:agenda:{version.pk}:{get_language()}:{zone.key if zone else '-'}:" + ":".join(
        audience
    )
    cached = cache.get(key)
    if cached is None:
        listing = _agenda_listing(
            request,
            page,
            levels=levels,
            person=person,
            version=queries.latest_version(meeting),
        )
        cached = {name: listing[name] for name in ("body_html", "shows_viewer_zone")}
        cache.set(key, cached, timeout=AGENDA_CACHE_SECONDS)
    return cached


def agenda_session(request, number, session_id):
    """One published session; 404 for a session this person may not see."""
    meeting = _meeting(request, number)
    version = queries.latest_version(meeting)
    if version is None:
        raise Http404
    sessions = queries.published_sessions(
        version,
        levels=visible_levels(request.user, meeting),
        viewer_zone=_viewer_zone(request),
        person=request.user if request.user.is_authenticated else None,
    )
    session = next((s for s in sessions if s["id"] == session_id), None)
    if session is None:
        raise Http404
    return render(
        request,
        "meetings/agenda_session.html",
        {
            "meeting": meeting,
            "session": session,
            "kind": SessionKind(session["kind"]).label,
            "documents": register_queries.documents_of_session(session_id, viewer=request.user),
        },
    )


def _viewer_zone(request):
    if request.user.is_authenticated:
        return zoneinfo.ZoneInfo(request.user.time_zone)
    return None


# --- Calendar -------------------------------------------------------------------------


def agenda_ics(request, number):
    """The published agenda as an .ics file, with the sessions this person may see."""
    meeting = _meeting(request, number)
    return _ics_response(meeting, levels=visible_levels(request.user, meeting))


@login_required
def my_agenda_ics(request, number):
    meeting = _my_meeting(request, number)
    return _ics_response(meeting, levels=visible_levels(request.user, meeting), person=request.user)


def subscription_ics(request, token, number, mine=False):
    """A person's private calendar feed: no login, the token stands for the person."""
    subscription = get_object_or_404(
        CalendarSubscription.objects.select_related("user"),
        token_hash=hash_token(token),
        user__is_active=True,
    )
    person = subscription.user
    meeting = get_visible_or_404(Meeting.objects.all(), person, number=number)
    if mine and not person.has_perm("meetings.view_my_agenda", meeting):
        raise Http404
    return _ics_response(
        meeting, levels=visible_levels(person, meeting), person=person if mine else None
    )


def _ics_response(meeting, *, levels, person=None):
    response = HttpResponse(
        calendar.agenda_calendar(meeting, levels=levels, person=person),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="ascn-meeting-{meeting.number}.ics"'
    return response


@login_required
def calendar_link(request, number):
    """Create, replace or revoke one's private calendar address for subscriptions."""
    meeting = _meeting(request, number)
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_subscription(request.user)
            messages.success(request, _("Your private calendar address no longer works."))
        else:
            token = services.create_calendar_subscription(request.user)
    has_my_agenda = request.user.has_perm("meetings.view_my_agenda", meeting)
    context = {
        "meeting": meeting,
        "has_subscription": CalendarSubscription.objects.filter(user=request.user).exists(),
        "has_my_agenda": has_my_agenda,
        "feed_url": absolute_url(reverse("meetings:subscription_ics", args=[token, meeting.number]))
        if token
        else None,
        "my_feed_url": absolute_url(
            reverse("meetings:my_subscription_ics", args=[token, meeting.number])
        )
        if token and has_my_agenda
        else None,
    }
    return render(request, "meetings/calendar_link.html", context)
