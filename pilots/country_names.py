"""Country names the interface translates: a country's ``name`` is its English short
name (ASEAN usage, and the sort key of every list); ``Country.local_name`` reads it in
the active language through these catalogue entries."""

from django.utils.translation import gettext_noop

COUNTRY_NAMES = [
    # The ASEAN member states (ASEAN Charter, Art. 31(1)).
    gettext_noop("Brunei Darussalam"),
    gettext_noop("Cambodia"),
    gettext_noop("Indonesia"),
    gettext_noop("Lao PDR"),
    gettext_noop("Malaysia"),
    gettext_noop("Myanmar"),
    gettext_noop("Philippines"),
    gettext_noop("Singapore"),
    gettext_noop("Thailand"),
    gettext_noop("Viet Nam"),
    gettext_noop("Timor-Leste"),
    # Dialogue partners and others the network works with.
    gettext_noop("Australia"),
    gettext_noop("Canada"),
    gettext_noop("China"),
    gettext_noop("India"),
    gettext_noop("Japan"),
    gettext_noop("New Zealand"),
    gettext_noop("Republic of Korea"),
    gettext_noop("Russia"),
    gettext_noop("United Kingdom"),
    gettext_noop("United States"),
    gettext_noop("Türkiye"),
    gettext_noop("Germany"),
    gettext_noop("France"),
]
