"""The iCalendar invitation for a conversation (RFC 5545), written by hand: one VEVENT, CRLF lines,
text escaped and long lines folded at 75 octets."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from conversations.models import Conversation

MEETING_LENGTH = datetime.timedelta(hours=1)
PRODID = "-//Samtale//Samtale//NB"
MAX_LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return "".join(ch for ch in value if ch == "\t" or ord(ch) >= 0x20 and ord(ch) != 0x7F)


def _param_value(value: str) -> str:
    """A parameter value (e.g. CN): quoted, without the characters a quoted value cannot hold."""
    cleaned = "".join(ch for ch in value if ch != '"' and (ord(ch) >= 0x20 and ord(ch) != 0x7F))
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character."""
    chunks, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = MAX_LINE_OCTETS if not chunks else MAX_LINE_OCTETS - 1
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += ch
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def utc_stamp(value: datetime.datetime) -> str:
    """A UTC DATE-TIME (form 2). Zero-padded by hand: strftime drops leading zeros of small years."""
    value = value.astimezone(datetime.UTC)
    return (
        f"{value.year:04d}{value.month:02d}{value.day:02d}T"
        f"{value.hour:02d}{value.minute:02d}{value.second:02d}Z"
    )


def _party(name: str, person, role: str | None = None) -> str | None:
    if not person.email:
        return None
    params = f";CN={_param_value(person.full_name)}"
    if role:
        params += f";ROLE={role}"
    return f"{name}{params}:mailto:{person.email}"


def _end_of(start: datetime.datetime) -> datetime.datetime:
    try:
        return start + MEETING_LENGTH
    except OverflowError:
        return start


def invitation(conversation: Conversation, *, domain: str, method: str | None = None) -> str:
    """The invitation as an iCalendar object. `conversation.scheduled_at` must be set.

    The UID is stable and SEQUENCE follows the conversation's revision, so an update replaces the
    earlier event in the calendar instead of adding another. `method="REQUEST"` for the invitation
    sent by e-mail (RFC 5546), which calendar programs offer to accept; none for a download."""
    start = conversation.scheduled_at
    description = _("Medarbeidersamtale between %(employee)s and %(leader)s.") % {
        "employee": conversation.employee.full_name,
        "leader": conversation.leader.full_name,
    }
    if conversation.cycle_id:
        description += f" {conversation.cycle.name}."
    summary = _("Medarbeidersamtale: %(employee)s og %(leader)s") % {
        "employee": conversation.employee.full_name,
        "leader": conversation.leader.full_name,
    }
    event = [
        "BEGIN:VEVENT",
        f"UID:conversation-{conversation.pk}@{domain}",
        f"DTSTAMP:{utc_stamp(timezone.now())}",
        f"DTSTART:{utc_stamp(start)}",
        f"DTEND:{utc_stamp(_end_of(start))}",
        f"SEQUENCE:{conversation.revision}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        _party("ORGANIZER", conversation.leader),
        _party("ATTENDEE", conversation.employee, role="REQ-PARTICIPANT"),
        "END:VEVENT",
    ]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}" if method else None,
        *event,
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines if line)
