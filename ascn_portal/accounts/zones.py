"""Time zones a person can choose, and a sensible default for a country.

Both come from the IANA database that the ``tzdata`` package ships, so the list and
the country defaults follow its releases rather than a hand-kept table.
"""

import functools
import zoneinfo
from importlib import resources


@functools.cache
def zone_choices() -> list[tuple[str, str]]:
    """Every canonical IANA zone (``Area/City``), sorted, for a select box."""
    zones = sorted(
        zone
        for zone in zoneinfo.available_timezones()
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )
    return [("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in zones)]


@functools.cache
def _country_zones() -> dict[str, str]:
    """``{ISO 3166 code: the country's first zone in zone.tab}``: its most populous one."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    zones: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, zone, *_comment = line.split("\t")
        zones.setdefault(code, zone)
    return zones


def country_zone(code: str | None, default: str = "UTC") -> str:
    """The usual zone of the country with ISO code ``code`` (Indonesia: Asia/Jakarta)."""
    return _country_zones().get((code or "").upper(), default)
