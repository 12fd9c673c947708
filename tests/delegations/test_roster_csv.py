import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from delegations.models import Participant
from pilots.models import Organisation, OrganisationKind
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

HEADER = "honorific,full_name,position,organisation,email,phone,role,language\n"
# The upload page: session, user, delegation, hats, the lists it shows (no model
# permissions are read for a National Representative: accounts/backends.py).
UPLOAD_PAGE_QUERIES = 6


@pytest.fixture
def delegation():
    nr = UserFactory(role="national_representative")
    return DelegationFactory(name="Indonesia", national_representative=nr, quota=4)


@pytest.fixture
def nr_client(client, delegation):
    client.force_login(delegation.national_representative)
    return client


def upload(client, delegation, text, encoding="utf-8"):
    return client.post(
        reverse("delegations:roster_upload", args=[delegation.pk]),
        {"file": SimpleUploadedFile("roster.csv", text.encode(encoding), "text/csv")},
        follow=True,
    )


def problems(response):
    return [(p.row, p.column, p.message) for p in response.context["problems"]]


def test_good_file_nominates_everyone(nr_client, delegation):
    Organisation.objects.create(
        name="Makassar City Government", kind=OrganisationKind.CITY_GOVERNMENT
    )
    text = HEADER + (
        "Mr,Andi Rahman,Head of Informatics,makassar city government,Andi@Makassar.example,,"
        "city_representative,id\n"
        "Ms,Sari Kusuma,Director,,sari@kemlu.example,+62 21 000,member,en\n"
    )

    response = upload(nr_client, delegation, "\ufeff" + text)  # Excel's byte-order mark

    assert "2 participants are nominated." in response.content.decode()
    rows = list(
        Participant.objects.filter(delegation=delegation)
        .order_by("full_name")
        .values_list("full_name", "email", "role", "language", "organisation__name", "status")
    )
    assert rows == [
        (
            "Andi Rahman",
            "andi@makassar.example",
            "city_representative",
            "id",
            "Makassar City Government",
            "nominated",
        ),
        ("Sari Kusuma", "sari@kemlu.example", "member", "en", None, "nominated"),
    ]
    assert AuditEntry.objects.get().data == {"rows": 2}


def test_bad_file_reports_every_problem_and_writes_nothing(nr_client, delegation):
    ParticipantFactory(delegation=delegation, email="taken@ascn.example")
    text = HEADER + (
        ",No Email,,,,,member,en\n"
        ",Bad Email,,,not-an-address,,member,en\n"
        ",Unknown Role,,,role@ascn.example,,king,en\n"
        ",Twice,,,twice@ascn.example,,member,en\n"
        ",Twice Again,,,TWICE@ascn.example,,member,en\n"
        ",Already,,,taken@ascn.example,,member,en\n"
        ",Nowhere,,Ministry of Nowhere,nowhere@ascn.example,,member,en\n"
    )

    response = upload(nr_client, delegation, text)

    assert problems(response) == [
        (2, "email", "An e-mail address is required."),
        (3, "email", "“not-an-address” is not an e-mail address."),
        (
            4,
            "role",
            "Unknown role “king”; use one of: city_representative, head, member, "
            "national_representative, observer.",
        ),
        (5, "", "Over the delegation's quota of 4."),
        (6, "email", "Same person as row 5."),
        (6, "", "Over the delegation's quota of 4."),
        (7, "email", "taken@ascn.example is already on this roster."),
        (7, "", "Over the delegation's quota of 4."),
        (8, "organisation", "Unknown organisation “Ministry of Nowhere”."),
        (8, "", "Over the delegation's quota of 4."),
    ]
    assert "Nothing was added" in response.content.decode()
    assert Participant.objects.filter(delegation=delegation).count() == 1


def test_file_without_required_column_is_refused(nr_client, delegation):
    response = upload(nr_client, delegation, "name,mail\nDewi,dewi@ascn.example\n")

    assert problems(response) == [
        (1, "full_name", "This column is missing."),
        (1, "email", "This column is missing."),
        (1, "role", "This column is missing."),
    ]


def test_non_utf8_file_gets_a_clear_message(nr_client, delegation):
    response = upload(
        nr_client,
        delegation,
        HEADER + ",Jos\u00e9,,,jose@ascn.example,,member,en\n",
        encoding="latin-1",
    )

    assert problems(response) == [(1, "", "The file is not UTF-8 text; save it as “CSV UTF-8”.")]
    assert Participant.objects.count() == 0


def test_template_download_has_the_columns(nr_client, delegation):
    response = nr_client.get(reverse("delegations:roster_template", args=[delegation.pk]))

    assert response.content.startswith(b"\xef\xbb\xbf")  # spreadsheets then read UTF-8
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [
        "honorific",
        "full_name",
        "position",
        "organisation",
        "email",
        "phone",
        "role",
        "pilot_city",
        "language",
    ]


def test_other_nr_cannot_upload_or_export(client, delegation):
    other = DelegationFactory(
        name="Observers",
        country=None,
        meeting=delegation.meeting,
        national_representative=UserFactory(role="national_representative"),
    )
    client.force_login(other.national_representative)

    upload_response = upload(client, delegation, HEADER + ",X,,,x@ascn.example,,member,en\n")
    export_response = client.get(reverse("delegations:roster_export", args=[delegation.pk]))

    assert (upload_response.status_code, export_response.status_code) == (404, 404)
    assert Participant.objects.count() == 0


def test_export_streams_the_roster_without_formulas(nr_client, delegation):
    ParticipantFactory(
        delegation=delegation,
        full_name='=HYPERLINK("http://x")',
        email="a@ascn.example",
        status="registered",
    )

    response = nr_client.get(reverse("delegations:roster_export", args=[delegation.pk]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "status"
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][-1] == "registered"


def test_city_representatives_name_their_pilot_city(nr_client, delegation):
    """Files without the pilot_city column (older templates) still load: see above."""
    from tests.factories.pilots import PilotCityFactory, member_state

    makassar = PilotCityFactory(name="Makassar", country=delegation.country)
    PilotCityFactory(name="Phuket", country=member_state("TH"))
    header = "full_name,email,role,pilot_city\n"

    refused = upload(
        nr_client,
        delegation,
        header + "Andi,andi@makassar.example,city_representative,makassar\n"
        "Somchai,somchai@phuket.example,city_representative,Phuket\n",
    )
    assert problems(refused) == [
        (3, "pilot_city", "Unknown pilot city “Phuket” for this delegation."),
    ]
    assert not Participant.objects.exists()

    upload(
        nr_client, delegation, header + "Andi,andi@makassar.example,city_representative,makassar\n"
    )
    assert Participant.objects.get().pilot_city == makassar


def test_semicolon_separated_file_is_read(nr_client, delegation):
    text = (
        "honorific;full_name;position;organisation;email;phone;role;language\n"
        "Ibu;Nguyễn Thị Hồng;Direktur, Bappeda;;hong@ascn.example;;member;id\n"
    )

    response = nr_client.post(
        reverse("delegations:roster_upload", args=[delegation.pk]),
        {"file": SimpleUploadedFile("roster.csv", ("\ufeff" + text).encode(), "text/csv")},
        follow=True,
    )

    assert "1 participants are nominated." in response.content.decode()
    assert list(Participant.objects.values_list("full_name", "position", "language")) == [
        ("Nguyễn Thị Hồng", "Direktur, Bappeda", "id")
    ]


def test_template_uploaded_as_is_is_refused(nr_client, delegation):
    template = nr_client.get(reverse("delegations:roster_template", args=[delegation.pk]))

    response = upload(nr_client, delegation, template.content.decode("utf-8-sig"))

    assert (3 - 1, "email") in [(row, column) for row, column, _m in problems(response)]
    assert (
        2,
        "email",
        "This is the template's example row: replace it with your participants.",
    ) in problems(response)
    assert Participant.objects.count() == 0


def test_export_starts_with_a_byte_order_mark(nr_client, delegation):
    ParticipantFactory(delegation=delegation, full_name="Nguyễn Thị Hồng")

    response = nr_client.get(reverse("delegations:roster_export", args=[delegation.pk]))

    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeffhonorific,".encode())
    assert "Nguyễn Thị Hồng" in content.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ",{long},,,a@ascn.example,,member,en",
            (
                2,
                "",
                "This row cannot be read (field larger than field limit (131072)); "
                "check its quotes and lengths.",
            ),
        ),
        (
            ",Dewi\x00Lestari,,,a@ascn.example,,member,en",
            (2, "full_name", "This cell holds a NUL character."),
        ),
        (
            ",{name},,,a@ascn.example,,member,en",
            (2, "full_name", "Ensure this value has at most 200 characters (it has 5000)."),
        ),
        (
            ",Dewi,,,a@ascn.example,{phone},member,en",
            (2, "phone", "Ensure this value has at most 40 characters (it has 41)."),
        ),
    ],
    ids=["over-csv-field-limit", "nul", "name-too-long", "phone-too-long"],
)
def test_hostile_cells_are_row_errors_and_nothing_is_written(nr_client, delegation, row, expected):
    text = HEADER + row.format(long="x" * 140_000, name="n" * 5000, phone="1" * 41) + "\n"

    response = upload(nr_client, delegation, text)

    assert response.status_code == 200
    assert problems(response) == [expected]
    assert Participant.objects.count() == 0
    assert not AuditEntry.objects.filter(action="delegations.roster.import").exists()


@pytest.mark.parametrize("city_count", [1, 30])
def test_upload_page_lists_what_each_column_accepts(
    nr_client, delegation, city_count, django_assert_num_queries
):
    from tests.factories.pilots import PilotCityFactory, member_state

    PilotCityFactory(name="Makassar", country=delegation.country)
    for number in range(city_count - 1):
        PilotCityFactory(name=f"City {number}", country=delegation.country)
    PilotCityFactory(name="Phuket", country=member_state("TH"))
    Organisation.objects.create(name="PACIS", kind=OrganisationKind.ACADEMIA)

    with django_assert_num_queries(UPLOAD_PAGE_QUERIES):
        page = nr_client.get(reverse("delegations:roster_upload", args=[delegation.pk]))

    html = page.content.decode()
    assert page.context["roles"][0][0] in html
    assert "<code>city_representative</code>" in html
    assert "<code>id</code> (Bahasa Indonesia)" in html
    names = [city.name for city in page.context["pilot_cities"]]
    assert (len(names), "Makassar" in names, "Phuket" in names) == (city_count, True, False)
    assert "Phuket" not in html
    assert "<li>PACIS</li>" in html
