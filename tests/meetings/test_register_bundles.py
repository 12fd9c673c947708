""" "Download all": one ZIP per agenda item or per day, built by the worker, holding
only what the person may read, downloaded through the permission-checked route."""

import io
import threading
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from ascn_portal.core.enums import DocumentStatus
from meetings.models import DocumentBundle
from meetings.register import bundles, services
from meetings.register.enums import Distribution, VersionChange
from tests.celery_worker import wait_until
from tests.factories import UserFactory
from tests.factories.delegations import delegate_at, nr_at
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory
from tests.meetings.registers import register, text_pdf, upload

pytestmark = pytest.mark.django_db

LAOS = ZoneInfo("Asia/Vientiane")


@pytest.fixture
def meeting():
    return MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")


@pytest.fixture
def panel(meeting):
    return AgendaSessionFactory(
        meeting=meeting,
        title="Panel 3",
        starts_at=datetime(2024, 7, 31, 9, 0, tzinfo=LAOS),
        ends_at=datetime(2024, 7, 31, 10, 30, tzinfo=LAOS),
    )


def panel_documents(meeting, panel):
    """Slides in two languages, revised once; a National Representatives' note."""
    slides = register(meeting, title="Panel 3 slides", series="CRP", agenda_session=panel)
    services.add_file(
        slides,
        upload=upload(text_pdf("revised slides")),
        language="en",
        change=VersionChange.REVISION,
        actor=None,
    )
    services.add_file(
        slides,
        upload=upload(text_pdf("slaid yang direvisi")),
        language="id",
        change=VersionChange.LANGUAGE,
        actor=None,
    )
    note = register(
        meeting,
        title="Speakers' fees",
        agenda_session=panel,
        distribution=Distribution.NATIONAL_REPRESENTATIVES,
        upload=upload(text_pdf("fees")),
    )
    return slides, note


def ask_for_zip(client, meeting, **scope):
    return client.post(reverse("meetings:bundle_request", args=[meeting.number]), scope)


def zip_names(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sorted(archive.namelist()), {n: archive.read(n) for n in archive.namelist()}


def downloaded(client, bundle):
    response = client.get(reverse("meetings:bundle_download", args=[7, bundle.pk]))
    if response.status_code == 302:
        fetched = requests.get(response["Location"], timeout=30)
        return response, fetched.content, fetched.headers["Content-Disposition"]
    return response, b"".join(response.streaming_content), response["Content-Disposition"]


def test_worker_builds_the_zip_of_an_agenda_item_as_the_person_may_read_it(
    document_storage, celery_worker, client, meeting, panel
):
    slides, _note = panel_documents(meeting, panel)
    client.force_login(delegate_at(meeting))

    asked = ask_for_zip(client, meeting, agenda_session=panel.pk)
    bundle = DocumentBundle.objects.get()
    wait_until(
        lambda: DocumentBundle.objects.get(pk=bundle.pk).status != DocumentStatus.PENDING,
        timeout=60,
        message="the worker built the ZIP",
    )
    bundle.refresh_from_db()
    response, content, disposition = downloaded(client, bundle)

    assert asked.status_code == 302
    assert asked["Location"] == bundle.get_absolute_url()
    assert bundle.status == DocumentStatus.READY, bundle.error
    assert response.status_code in (200, 302)
    assert disposition.startswith("attachment;")
    assert f'"ASCN-AM7-2024-documents-item-{panel.pk}.zip"' in disposition
    names, files = zip_names(content)
    # The latest revision in both languages; neither the superseded original nor the
    # National Representatives' note.
    assert names == [
        "ASCN-AM7-2024-CRP.1-Rev.1-en.pdf",
        "ASCN-AM7-2024-CRP.1-Rev.1-id.pdf",
    ]
    revised = slides.files.get(revision=1, language="en")
    with revised.file.open("rb") as handle:
        assert files["ASCN-AM7-2024-CRP.1-Rev.1-en.pdf"] == handle.read()
    if document_storage is not None:
        stored_keys = document_storage.keys()
        assert bundle.file.name in stored_keys


def test_the_zip_page_shows_progress_then_the_download(
    client, meeting, panel, django_capture_on_commit_callbacks
):
    panel_documents(meeting, panel)
    client.force_login(delegate_at(meeting))
    listing = reverse("meetings:register", args=[7])

    before = client.get(listing, {"agenda_session": panel.pk}).content.decode()
    ask_for_zip(client, meeting, agenda_session=panel.pk)
    bundle = DocumentBundle.objects.get()
    pending = client.get(bundle.get_absolute_url()).content.decode()
    bundles.build(bundle.pk)
    ready = client.get(reverse("meetings:bundle_status", args=[7, bundle.pk])).content.decode()
    after = client.get(listing, {"agenda_session": panel.pk}).content.decode()

    assert "Prepare one ZIP of 2 files" in before
    assert "The ZIP is being prepared" in pending
    assert 'data-hx-trigger="every 2s"' in pending
    assert "Download the ZIP (2 files)" in ready
    assert "data-hx-get" not in ready
    assert reverse("meetings:bundle_download", args=[7, bundle.pk]) in after


def test_people_who_read_the_same_share_a_zip_and_others_get_their_own(client, meeting, panel):
    panel_documents(meeting, panel)
    delegate, other_delegate, nr = delegate_at(meeting), delegate_at(meeting), nr_at(meeting)

    keys = []
    for person in (delegate, other_delegate, nr):
        client.force_login(person)
        ask_for_zip(client, meeting, agenda_session=panel.pk)
        keys.append(DocumentBundle.objects.latest("pk").pk)

    assert keys[0] == keys[1] != keys[2]
    assert [len(b.file_ids) for b in DocumentBundle.objects.order_by("pk")] == [2, 3]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "delegate"])
def test_a_zip_made_for_someone_who_reads_more_is_404_for_others(client, meeting, panel, who):
    panel_documents(meeting, panel)
    client.force_login(nr_at(meeting))
    ask_for_zip(client, meeting, agenda_session=panel.pk)
    bundle = DocumentBundle.objects.get()
    bundles.build(bundle.pk)
    client.logout()
    person = {
        "anonymous": None,
        "outsider": UserFactory(role=""),
        "delegate": delegate_at(meeting),
    }[who]
    if person is not None:
        client.force_login(person)

    answers = {
        client.get(reverse(name, args=[7, bundle.pk])).status_code
        for name in ("meetings:bundle", "meetings:bundle_status", "meetings:bundle_download")
    }

    assert answers == {404}


def test_a_change_in_the_register_makes_a_new_zip(client, meeting, panel):
    slides, _ = panel_documents(meeting, panel)
    client.force_login(delegate_at(meeting))
    ask_for_zip(client, meeting, agenda_session=panel.pk)
    first = DocumentBundle.objects.get()
    bundles.build(first.pk)

    services.add_file(
        slides,
        upload=upload(text_pdf("corrected")),
        language="en",
        change=VersionChange.CORRIGENDUM,
        actor=None,
    )
    listing = client.get(reverse("meetings:register", args=[7]), {"agenda_session": panel.pk})
    ask_for_zip(client, meeting, agenda_session=panel.pk)
    second = DocumentBundle.objects.latest("pk")
    bundles.build(second.pk)

    assert "Prepare one ZIP of 3 files" in listing.content.decode()
    assert second.pk != first.pk
    assert client.get(first.get_absolute_url()).status_code == 404
    _response, content, _ = downloaded(client, DocumentBundle.objects.get(pk=second.pk))
    assert zip_names(content)[0] == [
        "ASCN-AM7-2024-CRP.1-Rev.1-Corr.1-en.pdf",
        "ASCN-AM7-2024-CRP.1-Rev.1-en.pdf",
        "ASCN-AM7-2024-CRP.1-Rev.1-id.pdf",
    ]


def test_a_days_zip_gathers_the_documents_of_that_days_sessions(client, meeting, panel):
    panel_documents(meeting, panel)
    next_day = AgendaSessionFactory(
        meeting=meeting,
        starts_at=datetime(2024, 8, 1, 9, 0, tzinfo=LAOS),
        ends_at=datetime(2024, 8, 1, 10, 0, tzinfo=LAOS),
    )
    register(meeting, title="Closing statement", agenda_session=next_day)
    client.force_login(delegate_at(meeting))

    listed = client.get(reverse("meetings:register", args=[7]), {"day": "2024-07-31"})
    ask_for_zip(client, meeting, day="2024-07-31")
    bundle = DocumentBundle.objects.get()
    bundles.build(bundle.pk)
    _response, content, disposition = downloaded(client, DocumentBundle.objects.get())

    assert [d.title for d in listed.context["page"].object_list] == ["Panel 3 slides"]
    assert bundle.day == date(2024, 7, 31)
    assert "ASCN-AM7-2024-documents-2024-07-31.zip" in disposition
    assert len(zip_names(content)[0]) == 2


@pytest.mark.parametrize(
    "scope",
    [
        {},
        {"day": "2030-01-01"},
        {"agenda_session": "999999"},
        {"day": "2024-07-31", "agenda_session": "1"},
    ],
    ids=["none", "day-outside-meeting", "unknown-item", "both"],
)
def test_a_zip_of_nothing_or_of_a_wrong_scope_is_404_and_builds_nothing(
    client, meeting, panel, scope
):
    panel_documents(meeting, panel)
    client.force_login(delegate_at(meeting))

    assert ask_for_zip(client, meeting, **scope).status_code == 404
    assert DocumentBundle.objects.count() == 0


def test_an_item_with_nothing_readable_offers_no_zip(client, meeting, panel):
    register(
        meeting,
        title="Fees",
        agenda_session=panel,
        distribution=Distribution.NATIONAL_REPRESENTATIVES,
    )
    client.force_login(delegate_at(meeting))

    listing = client.get(reverse("meetings:register", args=[7]), {"agenda_session": panel.pk})

    assert "Prepare one ZIP" not in listing.content.decode()
    assert ask_for_zip(client, meeting, agenda_session=panel.pk).status_code == 404
    assert DocumentBundle.objects.count() == 0


def test_a_zip_whose_file_is_missing_fails_visibly_and_can_be_asked_again(client, meeting, panel):
    slides, _ = panel_documents(meeting, panel)
    client.force_login(delegate_at(meeting))
    ask_for_zip(client, meeting, agenda_session=panel.pk)
    bundle = DocumentBundle.objects.get()
    lost = slides.files.get(revision=1, language="id")
    lost.file.storage.delete(lost.file.name)

    bundles.build(bundle.pk)
    page = client.get(bundle.get_absolute_url()).content.decode()
    lost.file.save("again.pdf", ContentFile(text_pdf("back")), save=True)
    ask_for_zip(client, meeting, agenda_session=panel.pk)

    assert "The ZIP could not be prepared" in page
    assert DocumentBundle.objects.get().status == DocumentStatus.PENDING


def test_a_zip_whose_build_was_lost_is_built_again_when_asked_for(
    client, meeting, panel, django_capture_on_commit_callbacks
):
    panel_documents(meeting, panel)
    client.force_login(delegate_at(meeting))
    ask_for_zip(client, meeting, agenda_session=panel.pk)  # its task never runs
    bundle = DocumentBundle.objects.get()

    with django_capture_on_commit_callbacks(execute=True) as soon:
        ask_for_zip(client, meeting, agenda_session=panel.pk)
    with (
        time_machine.travel(
            bundle.requested_at + bundles.BUILD_LOST_AFTER + timedelta(seconds=1), tick=False
        ),
        django_capture_on_commit_callbacks(execute=True) as later,
    ):
        ask_for_zip(client, meeting, agenda_session=panel.pk)

    assert (len(soon), len(later)) == (0, 1)
    bundle.refresh_from_db()
    assert bundle.status == DocumentStatus.READY
    response, content, _disposition = downloaded(client, bundle)
    assert response.status_code in (200, 302)
    assert len(zip_names(content)[0]) == 2


@pytest.mark.parametrize("count", [2, 20])
def test_filtered_register_page_queries_do_not_grow(
    client, meeting, panel, count, django_assert_num_queries
):
    for n in range(count):
        register(meeting, title=f"Slides {n}", agenda_session=panel)
    client.force_login(delegate_at(meeting))

    # The register page's ten, the chosen agenda item, and two for the ZIP: the
    # files it would hold and the ZIP itself.
    with django_assert_num_queries(13):
        response = client.get(reverse("meetings:register", args=[7]), {"agenda_session": panel.pk})

    assert response.context["bundle_count"] == count


def test_arcname_keeps_the_symbol_and_drops_anything_unsafe(meeting):
    document = register(meeting, title="x", upload=upload(text_pdf("x"), "Laporan akhir (ñ).PDF"))
    stored = document.files.get()

    assert bundles.arcname(stored) == "ASCN-AM7-2024-DOC.1-en.pdf"


# --- Clean-up of unused ZIPs ------------------------------------------------------------

DAY_0 = datetime(2024, 8, 1, 9, 0, tzinfo=LAOS)


def stored(bundle):
    return bool(bundle.file) and bundle.file.storage.exists(bundle.file.name)


def test_zips_unused_for_a_week_are_deleted_with_their_file_and_used_ones_kept(
    document_storage, client, meeting, panel, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    panel_documents(meeting, panel)
    delegate, nr = delegate_at(meeting), nr_at(meeting)
    with time_machine.travel(DAY_0, tick=False):
        for person in (delegate, nr):
            client.force_login(person)
            ask_for_zip(client, meeting, agenda_session=panel.pk)
            bundles.build(DocumentBundle.objects.latest("pk").pk)
    downloaded_zip, forgotten_zip = DocumentBundle.objects.order_by("pk")
    client.force_login(delegate)
    with time_machine.travel(DAY_0 + timedelta(days=5), tick=False):
        first_download = client.get(
            reverse("meetings:bundle_download", args=[7, downloaded_zip.pk])
        )

    # The hourly periodic task, as run_periodic (or beat) runs it, a week and a day on.
    with time_machine.travel(DAY_0 + timedelta(days=8), tick=False):
        call_command("run_periodic", "--once")
        kept = DocumentBundle.objects.filter(pk=downloaded_zip.pk).first()
        kept_file = stored(kept)
        later_download = client.get(
            reverse("meetings:bundle_download", args=[7, downloaded_zip.pk])
        )
    with time_machine.travel(DAY_0 + timedelta(days=14, hours=23), tick=False):
        a_week_after_the_last_download = bundles.delete_unused()
    with time_machine.travel(DAY_0 + timedelta(days=15, hours=1), tick=False):
        bundles.delete_unused()

    assert first_download.status_code in (200, 302)
    assert not DocumentBundle.objects.filter(pk=forgotten_zip.pk).exists()
    assert not stored(forgotten_zip)
    assert kept is not None
    assert kept_file
    assert later_download.status_code in (200, 302)
    assert a_week_after_the_last_download == 0
    assert not DocumentBundle.objects.exists()
    assert not stored(kept)
    if document_storage is not None:
        stored_keys = document_storage.keys()
        assert not [key for key in stored_keys if key.endswith(".zip")]


def test_a_zip_asked_for_again_is_kept_and_the_keeping_time_is_a_setting(
    client, meeting, panel, settings
):
    settings.ASCN_BUNDLE_KEEP_DAYS = 2
    panel_documents(meeting, panel)
    client.force_login(delegate_at(meeting))
    with time_machine.travel(DAY_0, tick=False):
        ask_for_zip(client, meeting, agenda_session=panel.pk)
        bundle = bundles.build(DocumentBundle.objects.get().pk)
    with time_machine.travel(DAY_0 + timedelta(days=1, hours=23), tick=False):
        again = ask_for_zip(client, meeting, agenda_session=panel.pk)
    with time_machine.travel(DAY_0 + timedelta(days=3), tick=False):
        after_three_days = bundles.delete_unused()
    with time_machine.travel(DAY_0 + timedelta(days=4), tick=False):
        after_four_days = bundles.delete_unused()
    listing = client.get(reverse("meetings:register", args=[7]), {"agenda_session": panel.pk})

    assert again["Location"] == bundle.get_absolute_url()
    assert (after_three_days, after_four_days) == (0, 1)
    assert not stored(bundle)
    assert client.get(bundle.get_absolute_url()).status_code == 404
    # The register offers a new ZIP in its place.
    assert "Prepare one ZIP of 2 files" in listing.content.decode()


def test_a_zip_that_failed_or_never_finished_is_deleted_after_a_day(client, meeting, panel):
    slides, _ = panel_documents(meeting, panel)
    client.force_login(delegate_at(meeting))
    with time_machine.travel(DAY_0, tick=False):
        ask_for_zip(client, meeting, agenda_session=panel.pk)  # its build task is lost
        client.force_login(nr_at(meeting))
        lost = slides.files.get(revision=1, language="id")
        lost.file.storage.delete(lost.file.name)
        ask_for_zip(client, meeting, agenda_session=panel.pk)
        bundles.build(DocumentBundle.objects.latest("pk").pk)
    statuses = set(DocumentBundle.objects.values_list("status", flat=True))
    with time_machine.travel(DAY_0 + timedelta(hours=23), tick=False):
        within_the_day = bundles.delete_unused()
    with time_machine.travel(DAY_0 + timedelta(days=1, minutes=1), tick=False):
        after_a_day = bundles.delete_unused()

    assert statuses == {DocumentStatus.PENDING, DocumentStatus.FAILED}
    assert (within_the_day, after_a_day) == (0, 2)
    assert not DocumentBundle.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_zip_whose_download_is_starting_is_not_deleted_under_the_person(meeting, panel):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    panel_documents(meeting, panel)
    delegate = delegate_at(meeting)
    with time_machine.travel(DAY_0, tick=False):
        bundle = bundles.request_bundle(meeting, actor=delegate, agenda_session=panel)
        bundle = bundles.build(bundle.pk)
    marked, release = threading.Event(), threading.Event()
    handed_out = []

    def download():
        # The download view marks the ZIP used in its own transaction; hold it open
        # while the clean-up runs.
        try:
            with transaction.atomic():
                handed_out.append(bundles.mark_downloaded(bundle))
                marked.set()
                release.wait(10)
        finally:
            connection.close()

    person = threading.Thread(target=download)
    with time_machine.travel(DAY_0 + timedelta(days=30), tick=False):
        person.start()
        marked.wait(10)
        during = bundles.delete_unused()
        release.set()
        person.join()
        after = bundles.delete_unused()

    assert handed_out == [True]
    assert (during, after) == (0, 0)
    assert stored(DocumentBundle.objects.get())


def test_a_download_after_the_clean_up_is_404_never_a_missing_file(client, meeting, panel):
    panel_documents(meeting, panel)
    client.force_login(delegate_at(meeting))
    with time_machine.travel(DAY_0, tick=False):
        ask_for_zip(client, meeting, agenda_session=panel.pk)
        bundle = bundles.build(DocumentBundle.objects.get().pk)
    page = client.get(bundle.get_absolute_url())
    with time_machine.travel(DAY_0 + timedelta(days=30), tick=False):
        bundles.delete_unused()

    assert page.status_code == 200
    assert bundles.mark_downloaded(bundle) is False
    assert client.get(reverse("meetings:bundle_download", args=[7, bundle.pk])).status_code == 404
