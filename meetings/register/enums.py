from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentSeries(models.TextChoices):
    """The series of a meeting's symbols, as in the UN's document systems."""

    DOC = "DOC", _("Working document (DOC)")
    INF = "INF", _("Information paper (INF)")
    CRP = "CRP", _("Conference room paper (CRP)")


class Distribution(models.TextChoices):
    """Who may read a registered document. The first three share their values with the
    agenda's session visibility, so the same levels answer both."""

    PUBLIC = "public", _("Public")
    PARTICIPANTS = "participants", _("All participants")
    NATIONAL_REPRESENTATIVES = "national_representatives", _("National Representatives only")
    NAMED = "named", _("Named readers only")


class DocumentLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    INDONESIAN = "id", _("Bahasa Indonesia")
    KHMER = "km", _("Khmer")
    LAO = "lo", _("Lao")
    MALAY = "ms", _("Malay")
    BURMESE = "my", _("Burmese")
    FILIPINO = "fil", _("Filipino")
    THAI = "th", _("Thai")
    VIETNAMESE = "vi", _("Vietnamese")


class VersionChange(models.TextChoices):
    """What a further file of a registered symbol is."""

    LANGUAGE = "language", _("Another language of the latest issue")
    REVISION = "revision", _("A revision (Rev.), replacing the earlier text")
    CORRIGENDUM = "corrigendum", _("A corrigendum (Corr.) to the latest issue")


class TextState(models.TextChoices):
    """How far the text of a file is read for the register's search."""

    PENDING = "pending", _("Being read for the search")
    EXTRACTED = "extracted", _("Searchable")
    PARTIAL = "partial", _("Searchable in part (long document)")
    NO_TEXT = "no_text", _("No text to search (a scanned image?)")
    ENCRYPTED = "encrypted", _("Not searchable: the PDF is encrypted")
    UNREADABLE = "unreadable", _("Not searchable: the PDF could not be read")
    NOT_PDF = "not_pdf", _("Not searched (only PDFs are)")
