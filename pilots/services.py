"""Writes on the registry: cities, their partnership projects and progress updates."""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from ascn_portal.accounts.models import User
from ascn_portal.core.actors import Actor, acting_person
from ascn_portal.core.audit import log_action
from pilots.models import FocusArea, PartnershipProject, PilotCity, ProgressUpdate


def save_city(
    city: PilotCity,
    *,
    focus_areas: Iterable[FocusArea],
    focal_points: Iterable[User] | None = None,
    fields: Sequence[str] | None = None,
    actor: Actor,
) -> PilotCity:
    """Create or update a city with its focus areas and, when given, its focal points.

    ``fields`` limits an update to those columns, so a form that shows only some of
    them cannot overwrite the others with what it read earlier. Side effects: the
    PilotCity row, its focus-area (and focal-point) links, an audit entry.
    """
    with transaction.atomic():
        created = city.pk is None
        if created or fields is None:
            city.save()
        else:
            city.save(update_fields=[*fields, "updated_at"])
        city.focus_areas.set(focus_areas)
        data: dict[str, Any] = {
            "slug": city.slug,
            "status": city.status,
            "focus_areas": sorted(area.code for area in focus_areas),
        }
        if focal_points is not None:
            city.focal_points.set(focal_points)
            data["focal_points"] = sorted(user.pk for user in focal_points)
        log_action(
            city,
            "pilots.city.create" if created else "pilots.city.update",
            actor=actor,
            data=data,
        )
    return city


def save_project(
    project: PartnershipProject, *, fields: Sequence[str] | None = None, actor: Actor
) -> PartnershipProject:
    """Create or update a partnership project.

    ``fields`` limits an update to those columns: the status moves only through
    progress updates, which may land between reading the form and saving it. Side
    effects: the PartnershipProject row, an audit entry.
    """
    with transaction.atomic():
        created = project.pk is None
        if created or fields is None:
            project.save()
        else:
            project.save(update_fields=[*fields, "updated_at"])
        log_action(
            project,
            "pilots.project.create" if created else "pilots.project.update",
            actor=actor,
            data={
                "city": project.city_id,
                "partner": project.partner_id,
                "title": project.title,
                "status": project.status,
                # A Decimal as text: JSON numbers would turn it into a float.
                "value": None if project.value is None else str(project.value),
                "currency": project.currency,
            },
        )
    return project


def add_progress_update(
    project: PartnershipProject,
    *,
    date: datetime.date,
    note: str,
    new_status: str = "",
    actor: Actor,
) -> ProgressUpdate:
    """Record what was heard of a project and, if ``new_status`` differs from the
    current one, move the project to it.

    The project row is locked while its status is read and changed, so two updates
    entered at once both record the status they really changed from. Side effects: a
    ProgressUpdate row, the project's status, an audit entry.
    """
    with transaction.atomic():
        project = PartnershipProject.objects.select_for_update().get(pk=project.pk)
        previous = project.status
        changed = bool(new_status) and new_status != previous
        update = ProgressUpdate.objects.create(
            project=project,
            date=date,
            note=note,
            previous_status=previous,
            new_status=new_status if changed else "",
            author=acting_person(actor),
        )
        if changed:
            project.status = new_status
            project.save(update_fields=["status", "updated_at"])
        log_action(
            project,
            "pilots.project.progress",
            actor=actor,
            data={
                "update": update.pk,
                "date": date.isoformat(),
                "status": [previous, new_status] if changed else None,
            },
        )
    return update
