"""Stored files in object storage: what STORAGE_URL means, where a document lands, how
a permitted person downloads it, and what a storage outage does to a render."""

import hashlib
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ascn_portal.core import documents
from ascn_portal.core.enums import DocumentStatus
from ascn_portal.env import storage_from_url
from tests.celery_worker import free_port
from tests.core.test_documents import ask
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def laos():
    from pilots.models import Country

    return Country.objects.get(code="LA")


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat")


# --- STORAGE_URL ----------------------------------------------------------------------


def test_storage_url_empty_keeps_files_on_local_disk():
    assert storage_from_url("", download_seconds=60) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_storage_url_names_bucket_endpoint_and_credentials():
    entry = storage_from_url(
        "s3://AK%2Fey:se%40cret@minio:9000/ascn/documents?region=ap-southeast-1&tls=false"
        "&public_url=https://files.ascn.example/",
        download_seconds=45,
    )

    options = entry["OPTIONS"]
    assert entry["BACKEND"] == "ascn_portal.core.storage.S3Storage"
    assert (options["access_key"], options["secret_key"]) == ("AK/ey", "se@cret")
    assert (options["bucket_name"], options["location"]) == ("ascn", "documents")
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["public_endpoint_url"] == "https://files.ascn.example"
    assert options["region_name"] == "ap-southeast-1"
    assert options["querystring_expire"] == 45


def test_storage_url_without_host_uses_aws_over_https():
    options = storage_from_url("s3://key:secret@/ascn-documents", download_seconds=60)["OPTIONS"]

    assert (options["endpoint_url"], options["use_ssl"]) == (None, True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://host/bucket", "must be s3://"),
        ("s3://key:secret@host:9000/", "names no bucket"),
        ("s3://key:secret@host:9000/b?regoin=x", "unknown parameter"),
        ("s3://key:secret@host:9000/b?tls=maybe", "True or False"),
        ("s3://key:secret@host:port/b", "STORAGE_URL"),
    ],
)
def test_storage_url_mistakes_stop_start_up(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        storage_from_url(url, download_seconds=60)


# --- Documents in the bucket ----------------------------------------------------------


def test_rendered_document_is_one_object_in_the_bucket_and_nothing_on_disk(
    s3_storage, settings, laos, secretariat
):
    document = documents.render(ask(laos, secretariat).pk)

    assert document.status == DocumentStatus.READY
    assert s3_storage.keys() == [document.file.name]
    assert not (settings.MEDIA_ROOT / "documents").exists()


def test_download_redirects_to_a_short_lived_signed_link(
    s3_storage, s3_server, client, laos, secretariat
):
    document = documents.render(ask(laos, secretariat).pk)
    client.force_login(secretariat)

    response = client.get(reverse("core:document_download", args=[document.pk]))

    location = response.headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "private, no-store"
    assert location.startswith(f"{s3_server.endpoint}/{s3_storage.name}/documents/")
    assert query["X-Amz-Expires"] == ["60"]
    fetched = requests.get(location, timeout=10)
    assert hashlib.sha256(fetched.content).hexdigest() == document.sha256
    # The signature covers the file: the link opens no other object.
    other = location.replace("report-v1.pdf", "report-v2.pdf")
    assert requests.get(other, timeout=10).status_code == 403


def test_download_link_signed_for_the_public_endpoint(
    s3_storage, settings, client, laos, secretariat
):
    document = documents.render(ask(laos, secretariat).pk)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(
            f"{s3_storage.url}&public_url=https://files.ascn.example", download_seconds=30
        ),
    }
    client.force_login(secretariat)

    response = client.get(reverse("core:document_download", args=[document.pk]))

    location = response.headers["Location"]
    assert location.startswith(f"https://files.ascn.example/{s3_storage.name}/documents/")
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == ["30"]


def test_download_refused_to_outsider_gives_no_link(s3_storage, client, laos, secretariat):
    document = documents.render(ask(laos, secretariat).pk)
    client.force_login(UserFactory(role="delegate"))

    response = client.get(reverse("core:document_download", args=[document.pk]))

    assert response.status_code == 404
    assert "Location" not in response.headers


def test_storage_down_during_render_fails_with_reason_then_retry_stores_once(
    s3_storage, settings, laos, secretariat, django_capture_on_commit_callbacks
):
    # The same bucket on a port where nothing answers: the object store is down.
    down = s3_storage.url.replace(f":{s3_storage.server.port}/", f":{free_port()}/")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(down, download_seconds=60),
    }
    document = ask(laos, secretariat, capture=django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("EndpointConnectionError: ")
    assert (document.file.name, document.size, document.sha256) == ("", None, "")
    assert s3_storage.keys() == []

    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(s3_storage.url, download_seconds=60),
    }
    with django_capture_on_commit_callbacks(execute=True):
        documents.retry(document, actor=secretariat)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert s3_storage.keys() == [document.file.name]


# --- docker-compose.yml ---------------------------------------------------------------


def test_compose_nodes_share_no_volume_and_name_the_minio_bucket():
    compose = yaml.safe_load((Path(__file__).parents[2] / "docker-compose.yml").read_text())
    services = compose["services"]
    # ${NAME:-default} as compose substitutes it with nothing set.
    url = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", services["web"]["environment"]["STORAGE_URL"])
    options = storage_from_url(url, download_seconds=60)["OPTIONS"]

    assert [services[name].get("volumes", []) for name in ("web", "worker", "beat")] == [[]] * 3
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["public_endpoint_url"] == "http://localhost:9000"
    assert f"store/{options['bucket_name']}" in services["bucket"]["entrypoint"]
    assert services["minio"]["environment"]["MINIO_ROOT_USER"].endswith(
        f":-{options['access_key']}}}"
    )


# --- Verifying the files after a restore ----------------------------------------------


def test_verify_files_finds_missing_and_altered_files(s3_storage, laos, secretariat):
    from django.core.files.storage import default_storage
    from django.core.management import CommandError, call_command

    kept, altered, lost = (documents.render(ask(laos, secretariat).pk) for _n in range(3))
    with default_storage.open(altered.file.name, "wb") as handle:
        handle.write(b"%PDF-" + b"x" * (altered.size - 5))
    default_storage.delete(lost.file.name)

    sizes_only, with_checksums = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"^3 document files checked, 1 with problems$"):
        call_command("verify_files", stderr=sizes_only)
    with pytest.raises(CommandError, match=r"^3 document files checked, 2 with problems$"):
        call_command("verify_files", "--checksum", stderr=with_checksums)

    assert sizes_only.getvalue().splitlines() == [f"document {lost.pk}: missing: {lost.file.name}"]
    assert with_checksums.getvalue().splitlines() == [
        f"document {altered.pk}: checksum differs: {altered.file.name}",
        f"document {lost.pk}: missing: {lost.file.name}",
    ]
    assert kept.file.name not in with_checksums.getvalue()


def test_download_link_costs_a_fixed_number_of_queries(
    s3_storage, client, laos, secretariat, django_assert_num_queries
):
    document = documents.render(ask(laos, secretariat).pk)
    client.force_login(secretariat)
    url = reverse("core:document_download", args=[document.pk])

    # Session, person, document and what it is about (the permission check), nothing
    # more: the file's bytes are the object store's work, not the portal's.
    with django_assert_num_queries(4):
        response = client.get(url)

    assert response.status_code == 302
