"""Where stored files live, and how a permitted person gets one without the web process
carrying its bytes.

The storage is Django's default one (``STORAGE_URL``): the local disk in the embedded
mode, an S3-compatible object store when web and worker nodes share no disk.
"""

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from storages.backends import s3

from ascn_portal.core.enums import DocumentStatus

logger = logging.getLogger(__name__)


class S3Storage(s3.S3Storage):
    """django-storages' S3 backend, signing download links for the endpoint browsers use.

    Nodes may reach the object store by an inner name (``http://minio:9000``) that a
    browser cannot; a pre-signed URL is valid only for the host it was signed for, so
    with ``public_endpoint_url`` set the links are signed for that one instead.
    """

    public_endpoint_url: str | None

    def get_default_settings(self) -> dict[str, Any]:
        return {**super().get_default_settings(), "public_endpoint_url": None}

    def url(
        self,
        name: str,
        parameters: dict[str, str] | None = None,
        expire: int | None = None,
        http_method: str | None = None,
    ) -> str:
        if not self.public_endpoint_url:
            return str(super().url(name, parameters, expire, http_method))
        return str(
            self._public_client().generate_presigned_url(
                "get_object",
                Params={
                    **(parameters or {}),
                    "Bucket": self.bucket_name,
                    "Key": self._normalize_name(s3.clean_name(name)),
                },
                ExpiresIn=expire or self.querystring_expire,
                HttpMethod=http_method,
            )
        )

    def _public_client(self) -> Any:
        # Signing is local: this client never opens a connection. Made once per thread,
        # as django-storages does with its own, since a boto3 client is slow to build.
        client = getattr(self._connections, "public_client", None)
        if client is None:
            client = self._create_session().client(
                "s3",
                region_name=self.region_name,
                endpoint_url=self.public_endpoint_url,
                config=self.client_config,
            )
            self._connections.public_client = client
        return client


@contextmanager
def removed_on_failure() -> Iterator[list[FieldFile]]:
    """Delete from storage the files written in the block if the block fails.

    Storage is not part of the database transaction: a file saved before a failing
    INSERT (or a failing COMMIT) would stay behind with no row pointing at it. Put this
    around the ``transaction.atomic()`` block and append each saved FieldFile to the
    list it yields.
    """
    written: list[FieldFile] = []
    try:
        yield written
    except BaseException:
        for file in written:
            try:
                if file.name:
                    file.storage.delete(file.name)
            except Exception:
                logger.exception("Removing the orphan file %s failed", file.name)
        raise


def download_response(file: FieldFile, *, filename: str, content_type: str) -> HttpResponseBase:
    """Hand a stored file to a person already found entitled to it.

    On the local disk the file is streamed by ``FileResponse`` (sendfile where the
    server offers it); in object storage the person is redirected to a pre-signed link
    valid for ``ASCN_DOWNLOAD_URL_SECONDS``, so the bytes never pass through Python.
    """
    storage = file.storage
    if not isinstance(storage, s3.S3Storage):
        return FileResponse(
            file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    url = storage.url(
        file.name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, filename) or "",
            "ResponseContentType": content_type,
        },
    )
    response = HttpResponseRedirect(url)
    # The link is personal and short-lived: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class StoredFileProblem:
    document_id: int
    name: str
    problem: str


def verify_documents(*, checksum: bool = False) -> tuple[int, list[StoredFileProblem]]:
    """Check that every ready document's file is in storage, at its recorded size (and,
    with ``checksum``, its recorded SHA-256): after a restore, a copy of the bucket, a
    move to another store. Returns how many were checked and what is wrong. Reads only.
    """
    from ascn_portal.core.models import GeneratedDocument

    checked = 0
    problems: list[StoredFileProblem] = []
    ready = GeneratedDocument.objects.filter(status=DocumentStatus.READY).only(
        "pk", "file", "size", "sha256"
    )
    for document in ready.order_by("pk").iterator(chunk_size=500):
        checked += 1
        name = document.file.name
        storage = document.file.storage
        if not name or not storage.exists(name):
            problems.append(StoredFileProblem(document.pk, name, "missing"))
            continue
        if storage.size(name) != document.size:
            problems.append(StoredFileProblem(document.pk, name, "size differs"))
            continue
        if checksum:
            digest = hashlib.sha256()
            with storage.open(name, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            if digest.hexdigest() != document.sha256:
                problems.append(StoredFileProblem(document.pk, name, "checksum differs"))
    return checked, problems
