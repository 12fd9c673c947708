"""What a person is to a meeting: their hats, decided from relations.

One person may wear several hats at once (a delegate who moderates a panel) and
different ones from year to year. A hat lasts as long as its relation: a participant
who declined, was withdrawn or replaced wears none; a speaker taken off a panel
neither. Only staff (the secretariat) is a global role, checked apart.

All hats of a person, across every meeting, come from ONE query (a UNION over the
relations), kept on the user object, which Django loads anew for each request: rules,
visibility, "My agenda" and the home page ask it as often as they like for the price
of one query per request. The notices of a meeting ask the same UNION the other way
round: every person's hats at that meeting, in one query.

The relations live in apps above this one (delegations, panels) or beside it
(coordination, pilots): they are followed by their names from the user model, never
imported.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import CharField, F, IntegerField, Q, Value
from django.db.models.functions import Coalesce

from ascn_portal.accounts.models import User


class Hat:
    PARTICIPANT = "participant"
    NATIONAL_REPRESENTATIVE = "national_representative"
    MODERATOR = "moderator"
    SPEAKER = "speaker"
    SESSION_CHAIR = "session_chair"  # chairs a session of the annual meeting's agenda
    COORDINATION_CHAIR = "coordination_chair"
    COORDINATION_INVITEE = "coordination_invitee"
    ACTION_OWNER = "action_owner"  # owns an action item of the meeting's coordination
    FOCAL_POINT = "focal_point"  # of a pilot city: network-wide, not tied to a meeting


# The participant statuses that hold a seat, and so a hat. Spelled here rather than
# imported: delegations sits above meetings.
SEATED_STATUSES = ("nominated", "invited", "registered")


@dataclass(frozen=True)
class Row:
    kind: str
    meeting_id: int | None
    object_id: int
    detail: str  # a participant's status, a roster's status, a city's slug
    extra_id: int | None  # the agenda session of a panel; a participant's delegation


# (kind, relation from the user, meeting path, detail path, extra path, filter)
_PARTS: list[tuple[str, str, str | None, str | None, str | None, Q | None]] = [
    (
        Hat.PARTICIPANT,
        "participations",
        "participations__delegation__meeting_id",
        "participations__status",
        "participations__delegation_id",
        Q(participations__status__in=SEATED_STATUSES),
    ),
    (
        Hat.NATIONAL_REPRESENTATIVE,
        "managed_delegations",
        "managed_delegations__meeting_id",
        "managed_delegations__roster_status",
        None,
        None,
    ),
    (
        Hat.MODERATOR,
        "moderated_panels",
        "moderated_panels__conference__meeting_id",
        None,
        "moderated_panels__agenda_session_id",
        None,
    ),
    (
        Hat.SPEAKER,
        "panel_speakers",
        "panel_speakers__panel__conference__meeting_id",
        None,
        "panel_speakers__panel__agenda_session_id",
        None,
    ),
    (Hat.SESSION_CHAIR, "chaired_sessions", "chaired_sessions__meeting_id", None, None, None),
    (
        Hat.COORDINATION_CHAIR,
        "chaired_coordination_sessions",
        "chaired_coordination_sessions__meeting_id",
        "chaired_coordination_sessions__status",
        None,
        None,
    ),
    (
        Hat.COORDINATION_INVITEE,
        "coordination_invitations",
        "coordination_invitations__meeting_id",
        "coordination_invitations__status",
        None,
        None,
    ),
    (
        Hat.ACTION_OWNER,
        "action_items",
        "action_items__session__meeting_id",
        "action_items__status",
        None,
        None,
    ),
    (Hat.FOCAL_POINT, "focal_point_cities", None, "focal_point_cities__slug", None, None),
]

# The object of each part: a speaker's hat names the panel, not the speaker row.
_OBJECT = {Hat.SPEAKER: "panel_speakers__panel_id"}


def _rows(people: Q, *, meeting_id: int | None = None) -> list[tuple[int, Row]]:
    """``[(user id, Row)]`` for the people matched by ``people``, in one query."""
    union = _union(people, meeting_id=meeting_id)
    return [(user_id, Row(*values)) for user_id, *values in union]


def _union(people: Q, *, meeting_id: int | None = None) -> Any:
    queries = []
    for kind, relation, meeting_path, detail, extra, condition in _PARTS:
        if meeting_id is not None and meeting_path is None:
            continue  # network-wide hats do not belong to one meeting
        # One filter() call: conditions on a multi-valued relation given in separate
        # calls could each match a different related row.
        where = people & Q(**{f"{relation}__isnull": False})
        if condition is not None:
            where &= condition
        if meeting_id is not None and meeting_path is not None:
            where &= Q(**{meeting_path: meeting_id})
        query = (
            User.objects.filter(where)
            .annotate(
                hat_user=F("pk"),
                hat_kind=Value(kind, output_field=CharField()),
                hat_meeting=F(meeting_path) if meeting_path else Value(None, IntegerField()),
                hat_object=F(_OBJECT.get(kind, f"{relation}__pk")),
                hat_detail=Coalesce(F(detail), Value("")) if detail else Value("", CharField()),
                hat_extra=F(extra) if extra else Value(None, IntegerField()),
            )
            .values_list(
                "hat_user", "hat_kind", "hat_meeting", "hat_object", "hat_detail", "hat_extra"
            )
        )
        queries.append(query.order_by())
    return queries[0].union(*queries[1:], all=True)


# Stands for the person in the SQL built once per process by _rows_of_person.
_SOMEONE = -7_316_285


@functools.cache
def _person_sql() -> tuple[str, tuple[Any, ...]]:
    """The one query of ``hats_of``, compiled once: building the UNION of every relation
    costs the ORM more than PostgreSQL takes to run it, and every page asks it."""
    sql, params = _union(Q(pk=_SOMEONE)).query.sql_with_params()
    return sql, tuple(params)


def _rows_of_person(user_id: int) -> list[tuple[int, Row]]:
    sql, params = _person_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id if value == _SOMEONE else value for value in params])
        return [(row_user, Row(*values)) for row_user, *values in cursor.fetchall()]


@dataclass
class MeetingHats:
    """A person's hats at one meeting."""

    rows: list[Row] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def of(self, kind: str) -> list[Row]:
        return [row for row in self.rows if row.kind == kind]

    def ids(self, kind: str) -> set[int]:
        return {row.object_id for row in self.rows if row.kind == kind}

    @property
    def kinds(self) -> set[str]:
        return {row.kind for row in self.rows}

    @property
    def is_participant(self) -> bool:
        return any(row.kind == Hat.PARTICIPANT for row in self.rows)

    @property
    def is_national_representative(self) -> bool:
        return any(row.kind == Hat.NATIONAL_REPRESENTATIVE for row in self.rows)

    @property
    def own_sessions(self) -> set[int]:
        """Agenda sessions the person chairs, moderates or speaks in."""
        own = self.ids(Hat.SESSION_CHAIR)
        own.update(
            row.extra_id
            for row in self.rows
            if row.kind in (Hat.MODERATOR, Hat.SPEAKER) and row.extra_id is not None
        )
        return own

    @property
    def coordination_sessions(self) -> set[int]:
        return self.ids(Hat.COORDINATION_CHAIR) | self.ids(Hat.COORDINATION_INVITEE)


@dataclass
class PersonHats:
    """Every hat of one person: per meeting, and the network-wide ones."""

    by_meeting: dict[int, MeetingHats] = field(default_factory=dict)
    network: list[Row] = field(default_factory=list)

    def at(self, meeting: Any) -> MeetingHats:
        """The hats at ``meeting`` (a Meeting or its id); empty when there are none."""
        meeting_id = getattr(meeting, "pk", meeting)
        return self.by_meeting.get(meeting_id, MeetingHats())

    @property
    def meeting_ids(self) -> list[int]:
        return list(self.by_meeting)

    @property
    def focal_cities(self) -> list[Row]:
        return [row for row in self.network if row.kind == Hat.FOCAL_POINT]

    def anywhere(self, kind: str) -> bool:
        return any(hats.of(kind) for hats in self.by_meeting.values()) or any(
            row.kind == kind for row in self.network
        )

    def __bool__(self) -> bool:
        return bool(self.by_meeting or self.network)


_CACHE_ATTRIBUTE = "_ascn_hats"


def hats_of(user: Any) -> PersonHats:
    """All of ``user``'s hats, from one query, kept on the user object.

    Django loads the user anew for every request, so this is a cache per request.
    Anonymous visitors and inactive accounts wear none.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return PersonHats()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    hats = PersonHats()
    for _user_id, row in _rows_of_person(user.pk):
        if row.meeting_id is None:
            hats.network.append(row)
        else:
            hats.by_meeting.setdefault(row.meeting_id, MeetingHats()).rows.append(row)
    setattr(user, _CACHE_ATTRIBUTE, hats)
    return hats


def forget_hats(user: Any) -> None:
    """Drop the hats kept on ``user``, after a change of their relations in this request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def people_at(meeting: Any) -> dict[int, MeetingHats]:
    """Every active person with a hat at ``meeting``: ``{user id: MeetingHats}``, one query."""
    people: dict[int, MeetingHats] = defaultdict(MeetingHats)
    for user_id, row in _rows(Q(is_active=True), meeting_id=meeting.pk):
        people[user_id].rows.append(row)
    return dict(people)
