import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ascn_portal.core.enums import DocumentStatus
from ascn_portal.core.models import GeneratedDocument
from pilots.models import Country
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_participant_list_pdf_in_asean_order(client, django_capture_on_commit_callbacks):
    laos = DelegationFactory(name="Lao PDR")
    brunei = DelegationFactory(
        meeting=laos.meeting,
        country=Country.objects.get_or_create(
            code="BN",
            defaults={"iso3": "BRN", "name": "Brunei Darussalam", "is_asean_member": True},
        )[0],
        name="Brunei Darussalam",
    )
    ParticipantFactory(delegation=laos, full_name="Souk <b>Vong</b>", status="registered")
    ParticipantFactory(delegation=brunei, full_name="Hajah Aminah", status="invited")
    ParticipantFactory(delegation=brunei, full_name="Declined Person", status="declined")
    secretariat = UserFactory(role="secretariat")
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("delegations:participant_list_pdf", args=[laos.meeting.number])
        )

    document = GeneratedDocument.objects.get()
    assert response.url == document.get_absolute_url()
    assert document.status == DocumentStatus.READY
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document.file.read())).pages)
    assert text.index("Brunei Darussalam\nName") < text.index("Lao PDR\nName")
    assert "Hajah Aminah" in text
    assert "Souk <b>Vong</b>" in text
    assert "Declined Person" not in text

    client.force_login(laos.national_representative or UserFactory(role="national_representative"))
    assert client.get(document.get_absolute_url()).status_code == 404


def test_participant_list_pdf_is_secretariat_only(client):
    delegation = DelegationFactory(name="Lao PDR")
    client.force_login(UserFactory(role="national_representative"))

    response = client.post(
        reverse("delegations:participant_list_pdf", args=[delegation.meeting.number])
    )

    assert response.status_code == 403
    assert GeneratedDocument.objects.count() == 0
