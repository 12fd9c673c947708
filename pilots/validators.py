from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ISO 4217 codes of the currencies in circulation (list of 2025). Fund codes (BOV, CHE,
# CLF, USN…), precious metals (XAU, XAG…), bond units, XDR and the test codes are left
# out on purpose: a partnership project's value is never stated in them.
_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
    PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
    SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV
    WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
CURRENCY_CODES = frozenset(_CODES.split())

# Suggested by the form's currency field: the member states' currencies and those of
# the dialogue partners that fund ASCN projects.
COMMON_CURRENCIES = [
    "USD",
    "EUR",
    "JPY",
    "KRW",
    "CNY",
    "AUD",
    "BND",
    "KHR",
    "IDR",
    "LAK",
    "MYR",
    "MMK",
    "PHP",
    "SGD",
    "THB",
    "VND",
]


def validate_currency_code(value):
    if value not in CURRENCY_CODES:
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code; use three letters such as USD."),
            code="unknown_currency",
            params={"code": value},
        )
