"""Files that people upload: what they are, judged from their content, never their name.

One place decides whether an upload is acceptable (its type sniffed from magic bytes;
for Office Open XML the zip's ``[Content_Types].xml``; ZIP bombs refused by declared
size and ratio; a size limit; a safe name), so every app that takes files says the same.
Nothing here stores anything: a refused file is never written.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The file types accepted, and the name endings each may carry.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    PPTX: (".pptx",),
    XLSX: (".xlsx",),
}

# The main part's content type that tells the three Office Open XML formats apart.
_OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.ms-word.document.macroEnabled.main+xml": None,
}

# A zip that declares more than this, in all, or expands by more than the ratio, is
# refused: whatever later reads it (text extraction, a viewer) would be flooded.
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
_CONTENT_TYPES_LIMIT = 1024 * 1024

MAX_NAME_LENGTH = 120
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNSAFE = re.compile(r"[^\w.\- ()]+")


class UploadRefused(ValidationError):
    """The upload is not accepted; the message says why, in the person's language."""


@dataclass(frozen=True)
class AcceptedFile:
    name: str  # the sanitised name, for the download
    content_type: str
    size: int
    sha256: str

    @property
    def is_pdf(self) -> bool:
        return self.content_type == PDF


def max_upload_bytes() -> int:
    return int(settings.ASCN_UPLOAD_MAX_MB) * 1024 * 1024


def safe_name(name: str) -> str:
    """The file's own name made safe to show and send back: no directory part, no
    control characters, no characters outside letters, digits and ``.-_ ()``.

    A name that tries to climb out of its folder or carries control characters is
    refused rather than quietly altered: it is a sign of a crafted request.
    """
    if _CONTROL.search(name):
        raise UploadRefused(_("The file's name contains control characters."))
    if "/" in name or "\\" in name or name.strip() in {"", ".", ".."}:
        raise UploadRefused(_("The file's name must not contain a folder path."))
    normal = unicodedata.normalize("NFKC", name).strip()
    stem, dot, extension = normal.rpartition(".")
    if not dot or not stem.strip("."):
        raise UploadRefused(_("The file's name must end in its type, for example .pdf."))
    stem = _UNSAFE.sub("_", stem).strip(" ._") or "document"
    extension = extension.lower()
    return f"{stem[: MAX_NAME_LENGTH - len(extension) - 1]}.{extension}"


def inspect(file: IO[bytes], *, name: str, size: int) -> AcceptedFile:
    """Judge an upload: raise UploadRefused with a clear message, or say what it is.

    ``size`` is the upload's size as received; the content is read once, in chunks,
    for its SHA-256, so a large file never sits in memory.
    """
    clean_name = safe_name(name)
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    limit = max_upload_bytes()
    if size > limit:
        raise UploadRefused(
            _("The file is %(size)s MB; files may be at most %(limit)s MB.")
            % {"size": round(size / (1024 * 1024), 1), "limit": settings.ASCN_UPLOAD_MAX_MB}
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    content_type = _sniff(file, head=head, size=size)
    if content_type is None:
        raise UploadRefused(
            _(
                "This kind of file is not accepted: send a PDF, Word, PowerPoint or Excel "
                "document, or a PNG or JPEG image."
            )
        )
    extension = "." + clean_name.rpartition(".")[2]
    if extension not in EXTENSIONS[content_type]:
        raise UploadRefused(
            _(
                "The file's content is not what its name says: it is a %(kind)s file, "
                "named %(name)s."
            )
            % {"kind": EXTENSIONS[content_type][0].lstrip(".").upper(), "name": clean_name}
        )
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return AcceptedFile(
        name=clean_name, content_type=content_type, size=size, sha256=digest.hexdigest()
    )


def _sniff(file: IO[bytes], *, head: bytes, size: int) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _sniff_ooxml(file, size=size)
    return None


def _sniff_ooxml(file: IO[bytes], *, size: int) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UploadRefused(_("The document holds too many parts to be opened safely."))
            expanded = sum(entry.file_size for entry in entries)
            if expanded > MAX_UNCOMPRESSED_BYTES or expanded > MAX_COMPRESSION_RATIO * max(size, 1):
                raise UploadRefused(
                    _(
                        "The document expands to far more than its size (a ZIP bomb?) and "
                        "is refused."
                    )
                )
            try:
                with archive.open("[Content_Types].xml") as part:
                    content_types = part.read(_CONTENT_TYPES_LIMIT + 1)
            except KeyError:
                return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError):
        return None
    finally:
        file.seek(0)
    if len(content_types) > _CONTENT_TYPES_LIMIT:
        return None
    text = content_types.decode("utf-8", errors="replace")
    for main_part, content_type in _OOXML_MAIN_PARTS.items():
        if f'ContentType="{main_part}"' in text:
            return content_type
    return None
