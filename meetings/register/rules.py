"""Who reads and who adds to a meeting's document register.

A document's distribution is read against what the person is to its meeting (their
hats, meetings/agenda/hats.py): the same levels as the agenda's session visibility,
plus a named list. The one-document predicate and the list's filter are written side
by side so they cannot drift apart.
"""

from typing import Any

import rules
from django.db.models import Q

from ascn_portal.accounts.rules import is_secretariat
from meetings.agenda.enums import MeetingStatus
from meetings.agenda.hats import hats_of
from meetings.agenda.rules import is_published, levels_of, represents_a_country_at
from meetings.register.enums import Distribution


def readable_documents(user: Any) -> Q:
    """The filter on RegisteredDocument rows that ``user`` may read (secretariat: all)."""
    if is_secretariat(user):
        return Q()
    published = ~Q(meeting__status=MeetingStatus.DRAFT)
    readable = Q(distribution=Distribution.PUBLIC)
    if getattr(user, "is_authenticated", False) and user.is_active:
        hats = hats_of(user)
        for meeting_id, meeting_hats in hats.by_meeting.items():
            readable |= Q(meeting_id=meeting_id, distribution__in=levels_of(meeting_hats))
        # A subquery, not a join: a join on the readers would repeat rows.
        named = user.readable_documents.values("pk")
        readable |= Q(distribution=Distribution.NAMED, pk__in=named)
        readable |= Q(submitted_by=user)
    return published & readable


@rules.predicate
def may_read(user, document):
    """One document, answered as readable_documents answers for a list."""
    if document is None:
        return False
    if is_secretariat(user):
        return True
    if document.meeting.status == MeetingStatus.DRAFT:
        return False
    if document.distribution == Distribution.PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if document.submitted_by_id == user.pk:
        return True
    if document.distribution == Distribution.NAMED:
        return document.readers.filter(pk=user.pk).exists()
    return document.distribution in levels_of(hats_of(user).at(document.meeting_id))


rules.add_perm("meetings.read_document", may_read)
# The secretariat registers any document, issues revisions, corrigenda and language
# versions; a National Representative submits their own delegation's reports.
rules.add_perm("meetings.manage_register", is_secretariat)
rules.add_perm("meetings.submit_report", is_secretariat | (is_published & represents_a_country_at))


@rules.predicate
def submitted_it(user, document):
    return document is not None and user.is_authenticated and document.submitted_by_id == user.pk


@rules.predicate
def represents_its_country(user, document):
    return document is not None and represents_a_country_at(user, document.meeting)


# Revisions, corrigenda and language versions: the secretariat, or the National
# Representative who submitted the document while they still represent a delegation.
rules.add_perm("meetings.change_document", is_secretariat | (submitted_it & represents_its_country))
