"""Reads of panels that more than one page (or the PDF) needs."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.formats import date_format

from ascn_portal.accounts.models import User
from meetings.register.models import DocumentFile
from panels.enums import POINT_SECTIONS
from panels.models import Conference, Panel, Segment, Speaker, TalkingPoints
from pilots.models import PartnershipProject


def panels_with_progress(conference: Conference) -> QuerySet[Panel]:
    """The conference's panels in order, each with head counts of speakers, confirmed
    speakers and submitted points, its slot, moderator and objectives: one page, a
    fixed number of queries."""
    found: QuerySet[Panel] = (
        Panel.objects.filter(conference=conference)
        .select_related("agenda_session__room", "moderator")
        .prefetch_related("objectives")
        .annotate(
            speaker_count=Count("speakers", distinct=True),
            confirmed_count=Count(
                "speakers", filter=Q(speakers__confirmed_at__isnull=False), distinct=True
            ),
            submitted_count=Count(
                "speakers",
                filter=Q(speakers__points__submitted_at__isnull=False),
                distinct=True,
            ),
            version_count=Count("brief_versions", distinct=True),
            slides_count=Count("speakers", filter=Q(speakers__slides__isnull=False), distinct=True),
        )
        .order_by("number")
    )
    return found


def panel_speakers(panel: Panel, *, with_projects: bool = True) -> QuerySet[Speaker]:
    """The panel's speakers in order with their organisations, points and (unless
    told otherwise) the partnership projects their points cite."""
    speakers = (
        Speaker.objects.filter(panel=panel)
        .select_related("organisation", "user", "points", "slides__meeting")
        .order_by("position", "pk")
    )
    if with_projects:
        speakers = speakers.prefetch_related("points__projects__city", "points__projects__partner")
    return speakers


def slide_files(speaker: Speaker) -> list[DocumentFile]:
    """The files of the speaker's slides, latest revision first, or []."""
    if speaker.slides_id is None:
        return []
    return list(
        DocumentFile.objects.filter(document_id=speaker.slides_id)
        .select_related("document__meeting")
        .order_by("-revision", "-corrigendum", "language")
    )


def cited_projects(speaker: Speaker) -> list[PartnershipProject]:
    """The partnership projects the speaker's points cite, or []."""
    points = getattr(speaker, "points", None)
    return list(points.projects.all()) if points is not None else []


def points_of(speaker: Speaker) -> list[tuple[str, str]]:
    """``[(label, text)]`` of the four sections, or [] without points."""
    points = getattr(speaker, "points", None)
    if points is None:
        return []
    return [
        (str(_verbose_name(name)).capitalize(), getattr(points, name)) for name in POINT_SECTIONS
    ]


def _verbose_name(name: str) -> str:
    field = TalkingPoints._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def run_of_show(panel: Panel, segments: Iterable[Segment]) -> list[dict[str, Any]]:
    """The segments with clock times from the slot's start in the meeting's zone."""
    session = panel.agenda_session
    clock = session.starts_at.astimezone(panel.conference.meeting.zone) if session else None
    rows: list[dict[str, Any]] = []
    for segment in segments:
        row = {
            "title": segment.title,
            "minutes": segment.minutes,
            "speaker": segment.speaker.name if segment.speaker else "",
            "time": "",
        }
        if clock is not None:
            end = clock + timedelta(minutes=segment.minutes)
            row["time"] = f"{clock:%H:%M}–{end:%H:%M}"
            clock = end
        rows.append(row)
    return rows


def brief_content(panel: Panel) -> dict[str, Any]:
    """Everything the brief shows, as JSON: what a version keeps and its PDF prints."""
    panel = (
        Panel.objects.select_related(
            "conference__meeting__host_country", "agenda_session__room", "moderator"
        )
        .prefetch_related(
            "objectives",
            Prefetch("segments", to_attr="segment_list"),
        )
        .get(pk=panel.pk)
    )
    meeting = panel.conference.meeting
    session = panel.agenda_session
    speakers = list(panel_speakers(panel))
    start = session.starts_at.astimezone(meeting.zone) if session else None
    end = session.ends_at.astimezone(meeting.zone) if session else None
    # segment_list: set by the Prefetch above.
    segments: list[Segment] = list(panel.segment_list)  # type: ignore[attr-defined]
    for segment in segments:  # the speaker names come from the list already loaded
        segment.speaker = next((s for s in speakers if s.pk == segment.speaker_id), None)
    return {
        "conference": panel.conference.title,
        "meeting": meeting.title,
        "place": f"{meeting.host_city}, {meeting.host_country.local_name}",
        "number": panel.number,
        "title": panel.title,
        "theme": panel.theme,
        "date": date_format(start, "l j F Y") if start else "",
        "time": f"{start:%H:%M}–{end:%H:%M}" if start else "",
        "room": session.room.name if session and session.room else "",
        "time_zone": meeting.time_zone,
        "moderator": panel.moderator.full_name if panel.moderator else "",
        "objectives": [objective.text for objective in panel.objectives.all()],
        "introduction": panel.introduction,
        "closing_remarks": panel.closing_remarks,
        "run_of_show": run_of_show(panel, segments),
        "total_minutes": sum(segment.minutes for segment in segments),
        "slot_minutes": panel.slot_minutes,
        "speakers": [
            {
                "name": speaker.name,
                "organisation": speaker.organisation.name if speaker.organisation else "",
                "topic": speaker.topic,
                "minutes": speaker.minutes,
                "bio_line": speaker.bio_line,
                "submitted": bool(getattr(speaker, "points", None) and speaker.points.submitted_at),
                "points": [{"label": label, "text": text} for label, text in points_of(speaker)],
                "projects": [
                    {
                        "title": project.title,
                        "city": project.city.name,
                        "partner": project.partner.name,
                        "value": f"{project.currency} {project.value:,}" if project.value else "",
                    }
                    for project in cited_projects(speaker)
                ],
                "questions": speaker.question_list,
            }
            for speaker in speakers
        ],
    }


def moderated_panels(user: User) -> QuerySet[Panel]:
    """The panels ``user`` moderates, latest meeting first, with their progress."""
    found: QuerySet[Panel] = (
        Panel.objects.filter(moderator=user)
        .select_related("conference__meeting", "agenda_session")
        .annotate(
            speaker_count=Count("speakers", distinct=True),
            submitted_count=Count(
                "speakers",
                filter=Q(speakers__points__submitted_at__isnull=False),
                distinct=True,
            ),
            version_count=Count("brief_versions", distinct=True),
        )
        .order_by("-conference__meeting__start_date", "number")
    )
    return found


def speaking_engagements(user: User) -> QuerySet[Speaker]:
    """Where ``user`` speaks, latest meeting first, with their points and whether a
    brief has been shared."""
    found: QuerySet[Speaker] = (
        Speaker.objects.filter(user=user)
        .select_related("panel__conference__meeting", "panel__agenda_session", "points")
        .annotate(
            shared_count=Count(
                "panel__brief_versions",
                filter=Q(panel__brief_versions__shared_at__isnull=False),
            )
        )
        .order_by("-panel__conference__meeting__start_date", "panel__number")
    )
    return found
