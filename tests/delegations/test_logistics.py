"""The logistics report: for the secretariat and the host, never anyone else; emergency
contacts for the secretariat only; a page, a streamed CSV and a PDF."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ascn_portal.core.enums import DocumentStatus
from ascn_portal.core.models import GeneratedDocument
from delegations.models import Participant, Registration
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.pilots import member_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(number=7, title="7th ASCN Annual Meeting")  # hosted by Lao PDR


@pytest.fixture
def host(meeting):
    """The National Representative of Lao PDR, the host country."""
    nr = UserFactory(role="national_representative", email="nr.laos@example.org")
    DelegationFactory(meeting=meeting, name="Lao PDR", national_representative=nr)
    return nr


@pytest.fixture
def viet_nam(meeting):
    return DelegationFactory(
        meeting=meeting,
        country=member_state("VN"),
        name="Viet Nam",
        national_representative=UserFactory(role="national_representative"),
    )


def register(delegation, name, **details):
    participant = ParticipantFactory(
        delegation=delegation,
        full_name=name,
        email=f"{name.split()[-1].lower()}@example.org",
        status="registered",
    )
    return Registration.objects.create(
        participant=participant,
        emergency_contact=details.pop("emergency_contact", "Family, +84 90"),
        consent_data_processing=True,
        **details,
    )


@pytest.fixture
def registered(viet_nam):
    register(
        viet_nam,
        "Nguyễn Thị Hồng",
        arrival_date=date(2024, 7, 28),
        arrival_flight="QV 512",
        departure_date=date(2024, 8, 2),
        departure_flight="QV 513",
        accommodation="Sofitel Luang Prabang",
        dietary_needs="Vegetarian",
        accessibility_needs="Wheelchair access",
        emergency_contact="Trần Văn Nam, +84 912",
    )
    register(
        viet_nam,
        "Phạm Minh Tuấn",
        arrival_date=date(2024, 7, 28),
        arrival_flight="qv  512",
        departure_date=date(2024, 8, 2),
        departure_flight="VN 920",
        accommodation="Sofitel Luang Prabang",
        dietary_needs="vegetarian ",
    )
    return viet_nam


def test_secretariat_reads_arrivals_hotels_needs_and_emergency_contacts(
    client, meeting, registered
):
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("delegations:logistics", args=[7]))

    report = response.context["report"]
    assert report.total == 2
    assert [
        (day, [(flight, [p.name for p in people]) for flight, people in flights])
        for day, flights in report.arrivals
    ] == [(date(2024, 7, 28), [("QV 512", ["Nguyễn Thị Hồng", "Phạm Minh Tuấn"])])]
    assert [(flight, len(people)) for flight, people in report.departures[0][1]] == [
        ("QV 513", 1),
        ("VN 920", 1),
    ]
    assert [(hotel, len(people)) for hotel, people in report.hotels] == [
        ("Sofitel Luang Prabang", 2)
    ]
    assert [(need, [p.name for p in people]) for need, people in report.dietary] == [
        ("Vegetarian", ["Nguyễn Thị Hồng", "Phạm Minh Tuấn"])
    ]
    assert [(p.name, p.detail) for p in report.accessibility] == [
        ("Nguyễn Thị Hồng", "Wheelchair access")
    ]
    assert [p.detail for p in report.emergency_contacts] == [
        "Trần Văn Nam, +84 912",
        "Family, +84 90",
    ]
    assert "Emergency contacts" in response.content.decode()


def test_host_reads_the_report_without_emergency_contacts(client, meeting, host, registered):
    client.force_login(host)

    page = client.get(reverse("delegations:logistics", args=[7]))
    csv = b"".join(client.get(reverse("delegations:logistics_csv", args=[7])).streaming_content)

    assert page.context["report"].emergency_contacts is None
    assert "Trần Văn Nam" not in page.content.decode()
    assert "Trần Văn Nam".encode() not in csv
    assert b"Emergency contact" not in csv


@pytest.mark.parametrize("who", ["another delegation's NR", "delegate", "anonymous"])
def test_nobody_else_reads_the_report(client, meeting, host, registered, who):
    if who == "another delegation's NR":
        client.force_login(registered.national_representative)
    elif who == "delegate":
        client.force_login(UserFactory(role="delegate"))

    responses = [
        client.get(reverse("delegations:logistics", args=[7])),
        client.get(reverse("delegations:logistics_csv", args=[7])),
        client.post(reverse("delegations:logistics_pdf", args=[7])),
    ]

    expected = 302 if who == "anonymous" else 404
    assert [response.status_code for response in responses] == [expected] * 3
    assert not GeneratedDocument.objects.exists()


def test_csv_is_utf8_with_a_byte_order_mark_and_filters_by_delegation(client, meeting, registered):
    other = DelegationFactory(meeting=meeting, country=member_state("TH"), name="Thailand")
    register(other, "Somchai Wong")
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(
        reverse("delegations:logistics_csv", args=[7]), {"delegation": registered.pk}
    )

    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Delegation,Name,Arrival date,Arrival flight,Departure date,Departure flight,"
        "Accommodation,Dietary needs,Accessibility needs,Emergency contact"
    )
    assert lines[1].startswith("Viet Nam,Nguyễn Thị Hồng,2024-07-28,QV 512,")
    assert len(lines) == 3
    assert "Somchai" not in body.decode("utf-8-sig")


def test_pdf_is_rendered_in_the_background_and_the_hosts_copy_has_no_contacts(
    client, meeting, host, registered, django_capture_on_commit_callbacks
):
    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("delegations:logistics_pdf", args=[7]))

    document = GeneratedDocument.objects.get()
    assert response.url == document.get_absolute_url()
    assert document.status == DocumentStatus.READY
    assert client.get(document.get_absolute_url()).status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document.file.read())).pages)
    assert "Nguyễn Thị Hồng" in text
    assert "Sofitel Luang Prabang" in text
    assert "Trần Văn Nam" not in text

    client.force_login(UserFactory(role="secretariat"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("delegations:logistics_pdf", args=[7]))
    secretariat_copy = GeneratedDocument.objects.latest("pk")
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(secretariat_copy.file.read())).pages
    )
    assert "Trần Văn Nam" in text
    client.force_login(host)
    assert client.get(secretariat_copy.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("people", [10, 300])
def test_logistics_page_and_csv_query_counts_are_constant(
    client, meeting, viet_nam, people, django_assert_num_queries
):
    participants = Participant.objects.bulk_create(
        Participant(
            delegation=viet_nam,
            full_name=f"Person {n}",
            email=f"p{n}@vn.example",
            status="registered",
        )
        for n in range(people)
    )
    Registration.objects.bulk_create(
        Registration(
            participant=participant,
            arrival_date=date(2024, 7, 27 + n % 3),
            arrival_flight=f"QV {500 + n % 4}",
            dietary_needs="Halal" if n % 5 == 0 else "",
            emergency_contact="Family",
            consent_data_processing=True,
        )
        for n, participant in enumerate(participants)
    )
    client.force_login(UserFactory(role="secretariat"))

    with django_assert_num_queries(5):
        client.get(reverse("delegations:logistics", args=[7]))
    with django_assert_num_queries(4):
        b"".join(client.get(reverse("delegations:logistics_csv", args=[7])).streaming_content)
