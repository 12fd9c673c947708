"""Rosters as CSV: the upload a National Representative fills in, and the export.

An upload is all or nothing: every row is checked first, and any problem is reported
by row number and column with nothing written.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ascn_portal.core.audit import log_action
from ascn_portal.core.spreadsheets import BOM, csv_lines
from delegations.enums import SEATED, DelegationRole
from delegations.models import Delegation, Participant
from delegations.queries import pilot_cities_for
from delegations.services.roster import refuse_if_confirmed
from pilots.models import Organisation

COLUMNS = [
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
EXAMPLE = [
    "Ms",
    "Dewi Lestari",
    "Chief Smart City Officer",
    "Banyuwangi Regency Government",
    "dewi.lestari@example.org",
    "+62 333 000000",
    "city_representative",
    "Banyuwangi",
    "id",
]
MAX_ROWS = 500


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


class RosterImportError(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def template():
    """The CSV a National Representative downloads and fills in, with an example row
    that the upload refuses (its address), so it is never imported by accident."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE)
    return buffer.getvalue()


def import_roster(delegation, data, *, actor):
    """Nominate every person in the CSV ``data`` (bytes), or no one.

    Raises RosterImportError with every problem found, or ValidationError when the
    roster is already confirmed. Side effects: one Participant
    per row and one audit entry, in a transaction that holds the delegation's row lock
    while the quota is checked.
    """
    rows, errors = _parse(data)
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        refuse_if_confirmed(delegation)
        participants = _validate(delegation, rows, errors)
        if errors:
            raise RosterImportError(errors)
        Participant.objects.bulk_create(participants)
        log_action(
            delegation, "delegations.roster.import", actor=actor, data={"rows": len(participants)}
        )
    return participants


# Spreadsheets in many locales (Indonesian ones included) save "CSV" with semicolons.
DELIMITERS = (",", ";", "\t")


def _parse(data):
    errors = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "", _("The file is not UTF-8 text; save it as “CSV UTF-8”."))]
    header = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=header.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    reading = 1  # the row being read, as a spreadsheet numbers it
    try:
        fieldnames = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = fieldnames
        missing = [column for column in ("full_name", "email", "role") if column not in fieldnames]
        if missing:
            return [], [RowError(1, column, _("This column is missing.")) for column in missing]
        reading = 2
        for number, row in enumerate(reader, start=2):
            reading = number + 1
            if any(row.values()):
                rows.append((number, row))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        # A field longer than the csv module allows, a stray quote: the row number
        # where reading stopped, and nothing written.
        return [], [
            RowError(
                reading,
                "",
                _("This row cannot be read (%(reason)s); check its quotes and lengths.")
                % {"reason": exc},
            )
        ]
    if not rows:
        errors.append(RowError(2, "", _("The file has no participants.")))
    if len(rows) > MAX_ROWS:
        errors.append(
            RowError(MAX_ROWS + 2, "", _("At most %(max)s rows at once.") % {"max": MAX_ROWS})
        )
    return rows, errors


def _validate(delegation, rows, errors):
    roles = {value for value, _label in DelegationRole.choices}
    languages = {code for code, _name in settings.LANGUAGES}
    organisations = {o.name.casefold(): o for o in Organisation.objects.all()}
    # A member state's delegation represents its own cities; others may name any.
    cities = {city.name.casefold(): city for city in pilot_cities_for(delegation)}
    taken = {email.casefold() for email in delegation.participants.values_list("email", flat=True)}
    free = delegation.quota - delegation.participants.filter(status__in=SEATED).count()
    seen, participants = {}, []
    for number, row in rows:
        values = {column: _cell(row.get(column)) for column in COLUMNS}
        row_errors = len(errors)
        for column, value in values.items():
            if "\x00" in value:
                errors.append(RowError(number, column, _("This cell holds a NUL character.")))
                values[column] = value.replace("\x00", "")
        email = values["email"].lower()
        if email == EXAMPLE[COLUMNS.index("email")]:
            errors.append(
                RowError(
                    number,
                    "email",
                    _("This is the template's example row: replace it with your participants."),
                )
            )
        if not values["full_name"]:
            errors.append(RowError(number, "full_name", _("A name is required.")))
        if not email:
            errors.append(RowError(number, "email", _("An e-mail address is required.")))
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    RowError(
                        number,
                        "email",
                        _("“%(value)s” is not an e-mail address.") % {"value": values["email"]},
                    )
                )
            if email in taken:
                errors.append(
                    RowError(
                        number,
                        "email",
                        _("%(email)s is already on this roster.") % {"email": email},
                    )
                )
            elif email in seen:
                errors.append(
                    RowError(
                        number, "email", _("Same person as row %(row)s.") % {"row": seen[email]}
                    )
                )
            seen.setdefault(email, number)
        role = values["role"] or DelegationRole.MEMBER
        if role not in roles:
            errors.append(
                RowError(
                    number,
                    "role",
                    _("Unknown role “%(value)s”; use one of: %(roles)s.")
                    % {"value": role, "roles": ", ".join(sorted(roles))},
                )
            )
        language = values["language"] or "en"
        if language not in languages:
            errors.append(
                RowError(
                    number, "language", _("Unknown language “%(value)s”.") % {"value": language}
                )
            )
        organisation = None
        if values["organisation"]:
            organisation = organisations.get(values["organisation"].casefold())
            if organisation is None:
                errors.append(
                    RowError(
                        number,
                        "organisation",
                        _("Unknown organisation “%(value)s”.") % {"value": values["organisation"]},
                    )
                )
        pilot_city = None
        if values["pilot_city"]:
            pilot_city = cities.get(values["pilot_city"].casefold())
            if pilot_city is None:
                errors.append(
                    RowError(
                        number,
                        "pilot_city",
                        _("Unknown pilot city “%(value)s” for this delegation.")
                        % {"value": values["pilot_city"]},
                    )
                )
        if len(participants) >= free:
            errors.append(
                RowError(
                    number,
                    "",
                    _("Over the delegation's quota of %(quota)s.") % {"quota": delegation.quota},
                )
            )
        participant = Participant(
            delegation=delegation,
            honorific=values["honorific"],
            full_name=values["full_name"],
            position=values["position"],
            organisation=organisation,
            email=email,
            phone=values["phone"],
            role=role,
            pilot_city=pilot_city,
            language=language,
        )
        _check_with_model(participant, number, errors, already=errors[row_errors:])
        participants.append(participant)
    return participants


def _cell(value):
    return (value or "").strip()


def _check_with_model(participant, number, errors, *, already):
    """The model's own rules (lengths, e-mail, choices) for the columns not yet faulted."""
    faulted = {error.column for error in already}
    try:
        participant.full_clean(
            exclude=["delegation", "user", "replaces", "organisation", "pilot_city"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            if column in faulted:
                continue
            errors.extend(RowError(number, column, message) for message in messages)


def export_rows(delegation):
    """CSV lines of the roster, for a streamed download."""
    participants = (
        Participant.objects.filter(delegation=delegation)
        .select_related("organisation", "pilot_city")
        .order_by("full_name", "pk")
        .iterator(chunk_size=500)
    )
    records = (
        (
            p.honorific,
            p.full_name,
            p.position,
            p.organisation.name if p.organisation else "",
            p.email,
            p.phone,
            p.role,
            p.pilot_city.name if p.pilot_city else "",
            p.language,
            p.status,
        )
        for p in participants
    )
    return csv_lines([*COLUMNS, "status"], records)
