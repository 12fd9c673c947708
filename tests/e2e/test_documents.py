import pytest
from django.db import transaction
from playwright.sync_api import expect

from ascn_portal.core import documents
from ascn_portal.core.enums import DocumentKind
from tests.e2e.test_language import log_in
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_pending_document_turns_into_download_without_reload(page, celery_worker):
    secretariat = UserFactory(email="nadia@ascn.example", role="secretariat")
    celery_worker.stop()  # hold the render back so the page first shows it pending
    with transaction.atomic():
        document = documents.request_document(
            secretariat,
            kind=DocumentKind.REPORT,
            title="Lao PDR report",
            template_name="pdf/core/report.html",
            context={"title": "Lao PDR report", "sections": []},
            view_permission="core.view_outbox",
            actor=secretariat,
        )
    log_in(page, "nadia@ascn.example", PASSWORD)
    page.goto(f"/documents/{document.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Version 1 is being prepared.")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    celery_worker.start()

    download_link = page.get_by_role("link", name="Download version 1 (PDF)")
    expect(download_link).to_be_visible(timeout=30_000)
    assert navigations == []
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == "report-v1.pdf"
