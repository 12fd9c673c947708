"""Every versioned PDF is tagged: a screen reader finds its headings, tables and
reading order in the structure tree, with the document's language and title."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from ascn_portal.core.enums import DocumentKind, DocumentStatus
from ascn_portal.core.models import GeneratedDocument

pytestmark = pytest.mark.django_db


def structure_roles(node, roles):
    """Every structure element's role (/S) under ``node``, depth first."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure_roles(child, roles)
        return roles
    if hasattr(node, "get") and node.get("/S") is not None:
        roles.append(str(node["/S"]).lstrip("/"))
    kids = node.get("/K") if hasattr(node, "get") else None
    if kids is not None and not isinstance(kids, int):
        structure_roles(kids, roles)
    return roles


@pytest.fixture
def documents(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    return GeneratedDocument.objects.filter(status=DocumentStatus.READY)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (DocumentKind.AGENDA, {"H1", "H2", "P"}),
        (DocumentKind.MINUTES, {"H1", "H2", "Table", "TH", "TD", "P"}),
        (DocumentKind.PANEL_BRIEF, {"H1", "H2", "P"}),
    ],
)
def test_document_has_a_structure_tree_with_its_language_and_title(documents, kind, expected):
    for document in documents.filter(kind=kind):
        with document.file.open("rb") as handle:
            pdf = PdfReader(io.BytesIO(handle.read()))
        root = pdf.trailer["/Root"]

        roles = structure_roles(root["/StructTreeRoot"], [])

        assert bool(root["/MarkInfo"]["/Marked"])
        assert expected <= set(roles), (document.language, sorted(set(roles)))
        assert str(root["/Lang"]) == document.language
        assert pdf.metadata.title == document.title
