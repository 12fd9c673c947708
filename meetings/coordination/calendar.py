"""A coordination session's invitation as iCalendar: an iTIP message (METHOD:REQUEST,
or CANCEL) for one recipient, in the session's own zone."""

from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from ascn_portal.core.sites import absolute_url
from meetings.agenda.calendar import vtimezone


def coordination_uid(session_id):
    return f"ascn-coordination-{session_id}@{settings.ASCN_MAIL_DOMAIN}"


def coordination_invitation(session, *, method, attendee_email, attendee_name, stamp):
    """iCalendar bytes of one person's invitation to a coordination session.

    ``method`` is REQUEST for an invitation or update, CANCEL for a cancellation. The
    UID stays the same for the life of the session and SEQUENCE is the session's, so a
    calendar replaces its copy with a newer one and ignores an older one arriving late.
    Only the recipient is listed as attendee: the invitation tells no one the others'
    addresses.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//ASEAN Smart Cities Network//ASCN Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    zone = session.zone
    event = Event()
    event.add("uid", coordination_uid(session.pk))
    event.add("sequence", session.sequence)
    event.add("dtstamp", stamp)
    event.add("summary", session.title)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    location = session.place or session.video_link
    if location:
        event.add("location", location)
    description = "\n\n".join(part for part in (session.purpose, session.video_link) if part)
    if description:
        event.add("description", description)
    event.add("url", absolute_url(session.get_absolute_url()))
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText(session.convening_organisation.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params.update(
        {"cn": vText(attendee_name or attendee_email), "role": "REQ-PARTICIPANT", "rsvp": "FALSE"}
    )
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_component(vtimezone(session.time_zone))
    return calendar.to_ical()
