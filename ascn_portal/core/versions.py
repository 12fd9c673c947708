"""Publishing a versioned document: the numbered, immutable snapshot and its PDF.

The agenda, the minutes and the panel brief (and every later versioned document) are
published through ``publish_version``, so they are numbered, stored, rendered and
audited the same way, and a version's number is the one its document carries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import translation

from ascn_portal.core.actors import Actor, acting_person
from ascn_portal.core.audit import log_action
from ascn_portal.core.documents import render_in_turn, request_document
from ascn_portal.core.models import GeneratedDocument, VersionedDocument

V = TypeVar("V", bound=VersionedDocument)


@dataclass(frozen=True)
class DocumentRequest:
    """What the PDF of a version is: see ``documents.request_document``."""

    about: models.Model
    kind: str
    title: str
    template_name: str
    context: dict[str, Any]
    view_permission: str


def publish_version(
    model: type[V],
    target: models.Model,
    *,
    content: Any,
    document: Callable[[V], DocumentRequest],
    action: str,
    actor: Actor,
    data: dict[str, Any] | None = None,
    on_published: Callable[[V], object] | None = None,
    **fields: Any,
) -> V:
    """Store ``target``'s next numbered version of ``model`` and ask for its PDF.

    ``target`` (a meeting, a coordination session, a panel) is locked while the next
    number is taken, so two publications at once get two numbers. ``document`` is
    called with the new version, once per interface language with that language
    active, and says what its PDF holds; the PDF is numbered with the version's
    number. ``fields`` are the model's own further fields.
    ``on_published`` runs last, in the same transaction: notices, follow-up tasks.

    Side effects: the version row, a pending GeneratedDocument per interface language
    (rendered in the background after commit), an audit entry ``action`` with
    ``data`` and the number, and whatever ``on_published`` does.
    """
    field = _versioned_field(model, target)
    with transaction.atomic():
        type(target)._default_manager.select_for_update().filter(pk=target.pk).first()
        last = model._default_manager.filter(**{field: target}).aggregate(last=Max("number"))
        version = model._default_manager.create(
            **{field: target},
            number=(last["last"] or 0) + 1,
            content=content,
            published_by=acting_person(actor),
            **fields,
        )
        version.document = _request_in_every_language(version, document, actor=actor)
        version.save(update_fields=["document"])
        log_action(version, action, actor=actor, data={"number": version.number, **(data or {})})
        if on_published is not None:
            on_published(version)
    return version


def _request_in_every_language(
    version: V, document: Callable[[V], DocumentRequest], *, actor: Actor
) -> GeneratedDocument:
    """Ask for the version's PDF in each interface language, its context and title
    made under that language, so that a document never mixes two and every reader
    downloads it in theirs (``documents.in_language``). Returns the one in the
    publisher's language, which the version points to; it renders first, the others
    after it (``documents.render_in_turn``)."""
    own = getattr(actor, "language", None) or settings.LANGUAGE_CODE
    requested: dict[str, GeneratedDocument] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            spec = document(version)
            requested[language] = request_document(
                spec.about,
                kind=spec.kind,
                version=version.number,
                title=str(spec.title),
                template_name=spec.template_name,
                context=spec.context,
                view_permission=spec.view_permission,
                actor=actor,
                language=language,
                render=False,
            )
    first = requested.get(own) or requested[settings.LANGUAGE_CODE]
    render_in_turn([first, *(d for d in requested.values() if d.pk != first.pk)])
    return first


def _versioned_field(model: type[VersionedDocument], target: models.Model) -> str:
    """The name of ``model``'s one foreign key to ``target``'s model."""
    names = [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is type(target)
    ]
    if len(names) != 1:
        raise TypeError(f"{model.__name__} has no single foreign key to {type(target).__name__}")
    return names[0]
