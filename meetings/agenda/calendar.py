"""The agenda as iCalendar: what calendar apps subscribe to or import.

Each session is one event with a stable UID, so a calendar replaces it rather than
adding a copy; its SEQUENCE counts the published versions that moved or retitled it,
and a session removed from the agenda stays in the feed as CANCELLED so subscribed
calendars drop it. Times carry the meeting's TZID with its VTIMEZONE.
"""

import functools
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar, Event, Timezone

from ascn_portal.core.sites import absolute_url, site_url
from meetings.agenda.models import AgendaVersion
from meetings.agenda.queries import own_session_ids, shown

FEED_CACHE_SECONDS = 60 * 60


def session_uid(session_id):
    return f"ascn-session-{session_id}@{settings.ASCN_MAIL_DOMAIN}"


def agenda_calendar(meeting, *, levels, person=None):
    """iCalendar bytes of the meeting's published agenda at the given visibility levels,
    or of ``person``'s own agenda.

    A feed changes only when a version is published, and calendar apps poll it often,
    so it is cached by meeting, latest version and visibility levels.
    """
    latest = (
        AgendaVersion.objects.filter(meeting=meeting)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    own = None
    if person is not None:
        own = own_session_ids(meeting, person)
        # Panels a person joins change their feed without a new agenda version.
        audience = f"person-{person.pk}-" + ",".join(map(str, sorted(own)))
    else:
        audience = ",".join(sorted(levels))
    # The events' links carry the portal's address, which may follow the request.
    key = f"meetings:ics:{meeting.pk}:{latest}:{audience}:{site_url()}"
    feed = cache.get(key)
    if feed is None:
        feed = _build(meeting, levels=levels, own=own)
        cache.set(key, feed, timeout=FEED_CACHE_SECONDS)
    return feed


def _build(meeting, *, levels, own):
    versions = list(
        AgendaVersion.objects.filter(meeting=meeting)
        .order_by("number")
        .only("number", "published_at", "content", "changes")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//ASEAN Smart Cities Network//ASCN Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", meeting.title)
    calendar.add("x-wr-timezone", meeting.time_zone)
    if versions:
        sequence, removed = _history(versions)
        latest = versions[-1]
        for data in latest.sessions:
            if shown(data, levels=levels, own=own):
                calendar.add_component(
                    _event(meeting, data, sequence.get(data["id"], 0), latest.published_at)
                )
        for data in removed.values():
            if shown(data, levels=levels, own=own):
                event = _event(meeting, data, sequence.get(data["id"], 0), latest.published_at)
                event.add("status", "CANCELLED")
                calendar.add_component(event)
    calendar.add_component(vtimezone(meeting.time_zone))
    return calendar.to_ical()


@functools.cache
def vtimezone(key):
    # Deriving a VTIMEZONE from the zone's transitions takes tens of milliseconds.
    return Timezone.from_tzinfo(zoneinfo.ZoneInfo(key))


def _history(versions):
    """Per session: how many versions changed it; and sessions removed and not back."""
    sequence, removed = {}, {}
    for version in versions[1:]:
        changes = version.changes
        for change in changes.get("changed", []):
            sequence[change["id"]] = sequence.get(change["id"], 0) + 1
        for data in changes.get("removed", []):
            sequence[data["id"]] = sequence.get(data["id"], 0) + 1
            removed[data["id"]] = data
        for data in changes.get("added", []):
            removed.pop(data["id"], None)
    return sequence, removed


def _event(meeting, data, sequence, stamp):
    zone = meeting.zone
    event = Event()
    event.add("uid", session_uid(data["id"]))
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("summary", data["title"])
    event.add("dtstart", datetime.fromisoformat(data["starts_at"]).astimezone(zone))
    event.add("dtend", datetime.fromisoformat(data["ends_at"]).astimezone(zone))
    if data["room"]:
        event.add("location", f"{data['room']}, {meeting.host_city}")
    description = "\n".join(part for part in (data["chair"], data["description"]) if part)
    if description:
        event.add("description", description)
    event.add(
        "url",
        absolute_url(reverse("meetings:agenda_session", args=[meeting.number, data["id"]])),
    )
    return event
