"""Reads of meetings and their agenda that more than one page needs."""

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from itertools import groupby
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.formats import date_format

from ascn_portal.accounts.models import User
from ascn_portal.core.models import OutgoingMail
from meetings.agenda.enums import SessionKind, Visibility
from meetings.agenda.hats import hats_of
from meetings.agenda.models import AgendaSession, AgendaVersion, Meeting


def agenda_days(
    meeting: Meeting, sessions: Iterable[AgendaSession] | None = None
) -> list[tuple[date, list[AgendaSession]]]:
    """``[(day, [sessions])]`` for every day of the meeting, in the meeting's zone.

    ``sessions`` defaults to all of the meeting's sessions with their rooms, in one query.
    """
    if sessions is None:
        sessions = AgendaSession.objects.filter(meeting=meeting).select_related("room")
    zone = meeting.zone
    by_day = {
        day: list(group)
        for day, group in groupby(sessions, key=lambda s: s.starts_at.astimezone(zone).date())
    }
    return [(day, by_day.get(day, [])) for day in meeting.days]


def latest_version(meeting: Meeting, *, with_sessions: bool = True) -> AgendaVersion | None:
    """The latest published version; without its snapshot when only its number and
    document are needed (the snapshot of a large agenda takes a while to decode)."""
    versions = meeting.versions.select_related("document").order_by("-number")
    if not with_sessions:
        versions = versions.defer("content", "changes")
    return versions.first()


def change_notices(version: AgendaVersion) -> QuerySet[OutgoingMail]:
    """The change notices a version sent, one per recipient, for the secretariat's
    list (who, in which language, whether it left), without their bodies."""
    return (
        OutgoingMail.objects.filter(
            about_type=ContentType.objects.get_for_model(AgendaVersion),
            about_id=str(version.pk),
        )
        .only("pk", "to", "subject", "language", "status", "sent_at", "created_at")
        .order_by("pk")
    )


def count_changes(changes: dict[str, list[Any]]) -> int:
    """How many sessions a set of changes touches."""
    return sum(len(entries) for entries in changes.values())


def earlier_versions(meeting: Meeting) -> QuerySet[AgendaVersion]:
    """Every version of the agenda for the download list, without the heavy snapshots."""
    return (
        meeting.versions.select_related("document").defer("content", "changes").order_by("-number")
    )


def own_session_ids(meeting: Meeting, person: User) -> set[int]:
    """Ids of the meeting's sessions ``person`` chairs, moderates or speaks in.

    Taken from the person's hats (hats.py): panels live in a later app and are
    followed by relation name, so a speaker added today finds the panel on their
    agenda without a new publication, and asking costs no query of its own.
    """
    return hats_of(person).at(meeting).own_sessions


def shown(data: dict[str, Any], *, levels: Sequence[str], own: set[int] | None = None) -> bool:
    """Whether a published session is listed: on the agenda at the viewer's visibility
    levels; given ``own`` (a person's session ids), also the person's own sessions, so
    "My agenda" is the agenda they may see plus what they chair or speak in.
    """
    return data["visibility"] in levels or (own is not None and data["id"] in own)


def published_sessions(
    version: AgendaVersion,
    *,
    levels: Sequence[str],
    viewer_zone: tzinfo | None = None,
    person: User | None = None,
) -> list[dict[str, Any]]:
    """The version's sessions that are ``shown``, with local times.

    Each is the snapshot dict plus ``start``/``end`` (aware, in the meeting's zone),
    ``day`` and, when the viewer's clock differs at that moment (not merely the zone's
    name: Jakarta and Vientiane share UTC+7), ``viewer_start``/``viewer_end``.
    """
    meeting_zone = version.meeting.zone
    own = own_session_ids(version.meeting, person) if person is not None else None
    sessions = []
    for data in version.sessions:
        if not shown(data, levels=levels, own=own):
            continue
        start = datetime.fromisoformat(data["starts_at"]).astimezone(meeting_zone)
        end = datetime.fromisoformat(data["ends_at"]).astimezone(meeting_zone)
        # Clock times are formatted here, once, rather than by template filters: the
        # agenda page shows hundreds of them.
        session = {
            **data,
            "start": start,
            "end": end,
            "day": start.date(),
            "time_label": f"{start:%H:%M}–{end:%H:%M} {start.tzname()}",
        }
        if viewer_zone is not None:
            viewer_start = start.astimezone(viewer_zone)
            if viewer_start.utcoffset() != start.utcoffset():
                viewer_end = end.astimezone(viewer_zone)
                session["viewer_start"] = viewer_start
                session["viewer_end"] = viewer_end
                session["viewer_label"] = (
                    f"{viewer_start:%H:%M}–{viewer_end:%H:%M} {viewer_start.tzname()}"
                )
        sessions.append(session)
    return sessions


def in_viewer_zone(sessions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The published sessions with the viewer's clock first and the meeting's beside it
    (for the grid "in my time zone"); a session whose clock is the same is unchanged."""
    moved = []
    for session in sessions:
        if "viewer_start" not in session:
            moved.append(session)
            continue
        start, end = session["viewer_start"], session["viewer_end"]
        moved.append(
            {
                **session,
                "start": start,
                "end": end,
                "day": start.date(),
                "time_label": session["viewer_label"],
                "viewer_label": session["time_label"],
            }
        )
    return sorted(moved, key=lambda session: session["start"])


def agenda_grid(sessions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The published sessions (from ``published_sessions``) as a grid per day: rooms
    across, time down, parallel sessions side by side, as a table can hold it.

    Each day is ``{"day", "columns": [room], "rows": [{"time", "cells"}]}``: a row per
    step of the day's clock (the largest step that every start and end falls on, at
    least 5 minutes), a cell per column that is not covered by a session started above
    it: ``{"session", "rowspan"}`` or ``{"session": None}``. Sessions without a room,
    or overlapping in one column, get a column of their own.
    """
    days = []
    for day, group in groupby(sessions, key=lambda session: session["day"]):
        day_sessions = sorted(group, key=lambda session: (session["start"], session["room"]))
        lanes: list[tuple[str, list[dict[str, Any]]]] = []
        for session in sorted(day_sessions, key=lambda s: (s["room"] == "", s["room"], s["start"])):
            lane = next(
                (
                    held
                    for room, held in lanes
                    if room == session["room"] and held[-1]["end"] <= session["start"]
                ),
                None,
            )
            if lane is None:
                lanes.append((session["room"], [session]))
            else:
                lane.append(session)
        minutes = [
            moment.hour * 60 + moment.minute
            for session in day_sessions
            for moment in (session["start"], session["end"])
        ]
        step = max(5, math.gcd(*minutes) if minutes else 60)
        first, last = min(minutes), max(minutes)
        starting = {
            (column, session["start"].hour * 60 + session["start"].minute): session
            for column, (_room, held) in enumerate(lanes)
            for session in held
        }
        covered_until = [first] * len(lanes)
        rows = []
        for minute in range(first - first % step, last, step):
            cells: list[dict[str, Any]] = []
            for column in range(len(lanes)):
                begins = starting.get((column, minute))
                if begins is not None:
                    end = begins["end"].hour * 60 + begins["end"].minute
                    covered_until[column] = end
                    cells.append({"session": begins, "rowspan": max(1, (end - minute) // step)})
                elif covered_until[column] <= minute:
                    cells.append({"session": None})
            rows.append({"time": f"{minute // 60:02d}:{minute % 60:02d}", "cells": cells})
        days.append({"day": day, "columns": [room for room, _held in lanes], "rows": rows})
    return days


def agenda_booklet(meeting: Meeting, version: AgendaVersion) -> dict[str, Any]:
    """JSON context of the agenda PDF: the sessions open to all participants, by day."""
    sessions = published_sessions(version, levels=[Visibility.PUBLIC, Visibility.PARTICIPANTS])
    days = []
    for day, group in groupby(sessions, key=lambda session: session["day"]):
        days.append(
            {
                "label": date_format(day, "l j F Y"),
                "sessions": [
                    {
                        "time": f"{s['start']:%H:%M}–{s['end']:%H:%M}",
                        "title": s["title"],
                        "kind": str(SessionKind(s["kind"]).label),
                        "room": s["room"],
                        "chair": s["chair"],
                    }
                    for s in group
                ],
            }
        )
    return {
        "meeting": {
            "title": meeting.title,
            "place": f"{meeting.host_city}, {meeting.host_country.local_name}",
            "dates": f"{date_format(meeting.start_date, 'j F Y')} – "
            f"{date_format(meeting.end_date, 'j F Y')}",
            "time_zone": meeting.time_zone,
        },
        "time_zone": meeting.time_zone,  # of the running header's generation time
        "published_on": date_format(version.published_at.astimezone(meeting.zone), "j F Y, H:i T"),
        "days": days,
    }
