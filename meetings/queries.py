"""Reads of meetings and their agenda that more than one page needs."""

from itertools import groupby

from meetings.models import AgendaSession


def agenda_days(meeting, sessions=None):
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
