"""One language per document: every versioned document is rendered in each interface
language, and a copy in one language holds no string of the other."""

import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfReader

from ascn_portal.core.enums import DocumentKind, DocumentStatus
from ascn_portal.core.models import GeneratedDocument

pytestmark = pytest.mark.django_db

ENGLISH_CALENDAR = [
    "January", "February", "March", "April", "May ", "June", "July", "August",
    "September", "October", "November", "December",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
]  # fmt: skip
INDONESIAN_CALENDAR = [
    "Januari", "Februari", "Maret", "Mei", "Juni", "Juli", "Agustus", "Oktober",
    "Desember", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
]  # fmt: skip


def catalogue_pairs():
    """English and Indonesian strings of the interface that differ and are long
    enough to mean something on their own (no placeholders)."""
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale/id/LC_MESSAGES/django.po"))
    pairs = []
    for entry in po.translated_entries():
        english, indonesian = entry.msgid, entry.msgstr
        if entry.msgid_plural or "%" in english or "<" in english or english == indonesian:
            continue
        if len(english) >= 8 and len(indonesian) >= 8:
            pairs.append((english, indonesian))
    return pairs


def strings(data):
    """Every string in a JSON document context."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def foreign(pairs, text, entered, *, english):
    """The interface strings of the other language found in ``text``, leaving out those
    inside what people entered (the same in both copies: names, titles, notes)."""
    return [
        string
        for en, id_ in pairs
        for string in [en if english else id_]
        if string in text and string not in entered
    ]


def pdf_text(document):
    with document.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


@pytest.fixture
def documents(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    return GeneratedDocument.objects.filter(status=DocumentStatus.READY)


@pytest.mark.parametrize(
    "kind", [DocumentKind.AGENDA, DocumentKind.MINUTES, DocumentKind.PANEL_BRIEF]
)
def test_each_document_kind_reads_in_one_language_only(documents, kind):
    pairs = catalogue_pairs()
    copies = {document.language: document for document in documents.filter(kind=kind)}
    assert sorted(copies) == ["en", "id"]

    english, indonesian = pdf_text(copies["en"]), pdf_text(copies["id"])
    entered = " | ".join(set(strings(copies["en"].context)) & set(strings(copies["id"].context)))

    assert foreign(pairs, indonesian, entered, english=True) == []
    assert [word for word in ENGLISH_CALENDAR if word in indonesian] == []
    assert foreign(pairs, english, entered, english=False) == []
    assert [word for word in INDONESIAN_CALENDAR if word in english] == []
    assert copies["en"].title != copies["id"].title


def test_a_reader_opens_and_downloads_the_copy_in_their_language(client, documents):
    from django.urls import reverse

    from ascn_portal.accounts.models import User

    english = documents.get(kind=DocumentKind.PANEL_BRIEF, language="en")
    indonesian = documents.get(kind=DocumentKind.PANEL_BRIEF, language="id")
    moderator = User.objects.get(email="moderator@ascn.example")
    moderator.language = "id"
    moderator.save(update_fields=["language"])
    client.force_login(moderator)

    page = client.get(reverse("core:document_detail", args=[english.pk])).content.decode()
    download = client.get(reverse("core:document_download", args=[english.pk]))

    assert f"<h1>{indonesian.title}</h1>" in page
    with indonesian.file.open("rb") as handle:
        assert b"".join(download.streaming_content) == handle.read()
