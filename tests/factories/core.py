import itertools

from ascn_portal.core.outbox import Attachment, MailSpec

_serial = itertools.count(1)

ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ASCN Portal//tests//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:test-event@ascn.example\r\nDTSTAMP:20240601T000000Z\r\n"
    b"DTSTART:20240729T020000Z\r\nDTEND:20240729T030000Z\r\nSUMMARY:Opening\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def mail_spec(*, to="dewi@ascn.example", key=None, ics=False, **overrides):
    """A real outbox message (the portal's test message) addressed to ``to``."""
    serial = next(_serial)
    return MailSpec(
        **{
            "to": [to],
            "template": "core/test_message",
            "context": {"name": f"Delegate {serial}", "sent_at": None},
            "idempotency_key": key or f"tests.mail:{serial}",
            "reply_to": ["organiser@ascn.example"],
            "attachments": [Attachment("invitation.ics", ICS, "text/calendar")] if ics else [],
            **overrides,
        }
    )
