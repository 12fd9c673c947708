"""Demo data of the document register: four documents of the 7th meeting.

Each file is a small one-page PDF generated here that says what it stands for and that
it is demo material: the real concept note, Shepherd's report and slides are not in the
sources, so their text is not invented.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.agenda.models import AgendaSession, Meeting
from meetings.register.enums import Distribution, DocumentSeries
from meetings.register.models import RegisteredDocument
from meetings.register.services import register_document
from pilots.models import Country, Organisation

PANEL_3 = "Panel 3: Forging Partnerships"

# series, title, submitter (country code or organisation name), panel 3?, distribution
DOCUMENTS = [
    (
        DocumentSeries.DOC,
        "Concept note: the 7th ASCN Annual Meeting and the ASCN Conference on Smart "
        "Solutions for Solving Urban Issues",
        "LA",
        False,
        Distribution.PUBLIC,
    ),
    (
        DocumentSeries.DOC,
        "Report of the ASCN Shepherd (Indonesia) on pilot-city development, 2023-2024",
        "ID",
        False,
        Distribution.PARTICIPANTS,
    ),
    (
        DocumentSeries.CRP,
        "Banyumas smart city control centre, with flood simulation and environmental "
        "monitoring of the Serayu river (presentation)",
        "ESE Co. Ltd.",
        True,
        Distribution.PARTICIPANTS,
    ),
    (
        DocumentSeries.CRP,
        "Panel 3 slides: Forging Partnerships to Spearhead Smart and Sustainable Urban "
        "Development in ASEAN",
        "ID",
        True,
        Distribution.PARTICIPANTS,
    ),
]


def load() -> int:
    """Register the demo documents of the 7th meeting, once. Returns how many exist."""
    meeting = Meeting.objects.get(number=7)
    # The agenda, minutes and briefs are registered as they are published: only the
    # uploaded documents say whether this ran.
    uploaded = RegisteredDocument.objects.filter(meeting=meeting, files__generated__isnull=True)
    if uploaded.exists():
        return RegisteredDocument.objects.filter(meeting=meeting).count()
    panel = AgendaSession.objects.filter(meeting=meeting, title__startswith=PANEL_3).first()
    for series, title, submitter, on_panel, distribution in DOCUMENTS:
        country = Country.objects.filter(code=submitter).first() if len(submitter) == 2 else None
        organisation = None if country else Organisation.objects.filter(name=submitter).first()
        register_document(
            meeting,
            series=series,
            title=title,
            upload=SimpleUploadedFile(f"{series.lower()}-{title[:40]}.pdf", demo_pdf(title)),
            language="en",
            distribution=distribution,
            agenda_session=panel if on_panel else None,
            country=country,
            organisation=organisation,
            actor=None,
        )
    return RegisteredDocument.objects.filter(meeting=meeting).count()


def demo_pdf(title: str) -> bytes:
    """A valid one-page PDF naming ``title`` and saying it is demo material."""
    lines = [
        "ASCN Portal - demonstration document",
        title[:90],
        title[90:180],
        "This file stands in for the real document in the portal's demo data.",
        "It is not an official ASCN document.",
    ]
    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in lines
        if line
    )
    stream = text.encode("latin-1", errors="replace") + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
