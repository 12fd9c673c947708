"""Uploads to the register that fail after the file was stored, and a large upload's
memory in a real web process."""

from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection

from meetings.models import DocumentFile, RegisteredDocument
from meetings.register import services
from meetings.register.enums import VersionChange
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.meetings import MeetingFactory
from tests.meetings.registers import register, text_pdf, upload
from tests.meetings.test_register import zip_bomb_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")


def refuse_audit_entries():
    """The database refuses every audit entry, written after the file is stored: a
    real failure inside the transaction, as a full disk or a lost connection would be."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'audit refused'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON core_auditentry "
                "FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON core_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
            )


def stored_keys(settings, bucket):
    if bucket is not None:
        return bucket.keys()
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_registration_that_fails_after_storing_leaves_no_file(
    document_storage, settings, meeting
):
    refuse_audit_entries()

    with pytest.raises(DatabaseError):
        register(meeting, text="Concept note")

    assert RegisteredDocument.objects.count() == 0
    assert stored_keys(settings, document_storage) == []


def test_a_revision_that_fails_after_storing_leaves_no_file(document_storage, settings, meeting):
    document = register(meeting, text="Concept note")
    before = stored_keys(settings, document_storage)
    refuse_audit_entries()

    with pytest.raises(DatabaseError):
        services.add_file(
            document,
            upload=upload(text_pdf("revised")),
            language="en",
            change=VersionChange.REVISION,
            actor=None,
        )

    assert DocumentFile.objects.count() == 1
    assert stored_keys(settings, document_storage) == before


# --- A 50 MB upload in a real web process -------------------------------------------------

UPLOAD_BYTES = 50 * 1024 * 1024 - 1024


def test_a_50_mb_upload_streams_through_the_web_process(transactional_db, settings, tmp_path):
    """gunicorn with one worker: its peak memory (VmHWM, reset just before) grows by far
    less than the file, which goes to a temporary file and then to storage in chunks."""
    from tests.benchmarks.uploads import measure_upload

    meeting = MeetingFactory(number=7, status="published")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    person = UserFactory(role="secretariat")
    person.password = make_password(PASSWORD)
    person.save(update_fields=["password"])

    result = measure_upload(
        meeting, email=person.email, password=PASSWORD, size=UPLOAD_BYTES, home=tmp_path
    )

    print(f"50 MB upload: web worker peak memory grew by {result['growth_mb']} MB")
    stored = DocumentFile.objects.get()
    assert result["status"] == 302
    assert stored.size == UPLOAD_BYTES
    assert result["growth_mb"] < 20


# --- Bad input leaves nothing in object storage either ---------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "report.pdf", "not what its name says"),
        (lambda: b"", "report.pdf", "empty"),
        (lambda: b"%PDF-1.4\n" + b"0" * (1024 * 1024), "report.pdf", "at most 1 MB"),
        (lambda: zip_bomb_docx(), "report.docx", "ZIP bomb"),
        (lambda: text_pdf("x"), "../report.pdf", "folder path"),
        (lambda: text_pdf("x"), "report\x07.pdf", "control characters"),
    ],
    ids=["png-named-pdf", "empty", "over-limit", "zip-bomb", "dot-dot", "control"],
)
def test_bad_input_is_refused_and_nothing_reaches_the_bucket(
    s3_storage, settings, meeting, content, name, message
):
    from ascn_portal.core.uploads import UploadRefused

    settings.ASCN_UPLOAD_MAX_MB = 1
    bad = upload(content(), "placeholder.pdf")
    bad._name = name  # as a crafted request names it, before any clean-up

    with pytest.raises(UploadRefused) as refused:
        register(meeting, upload=bad)

    assert message in str(refused.value)
    assert RegisteredDocument.objects.count() == 0
    assert s3_storage.keys() == []
