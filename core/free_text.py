"""How long a free text the parties may write: one rule for the API and the pages.

A free text (an item's description, measure or expectation, an answer, a comment, a change request, a
statement, a follow-up, a question or an answer to one, a proposal, an agenda point) holds at most
`SAMTALE_TEXT_MAX_LENGTH` characters (default 3,000). It bounds what one conversation PDF lays out: the
worst case of every field at its maximum then renders in under a second of CPU (README, "Conversation
PDF"). The database columns keep `STORED_MAX_LENGTH`, the limit before this rule, so texts stored
under it stay as they are and are shown whole; only new writes are held to the setting.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

STORED_MAX_LENGTH = 5000  # the models' max_length (no migration when the setting changes)

# For Django's and DRF's length check (both fill in the two numbers): names the limit and the length sent.
TOO_LONG = _("Teksten kan ha høyst %(limit_value)d tegn, og denne har %(show_value)d.")
ERROR_MESSAGES = {"max_length": TOO_LONG}


def max_length() -> int:
    """The longest free text a party may write now, in characters."""
    return min(int(settings.SAMTALE_TEXT_MAX_LENGTH), STORED_MAX_LENGTH)


def field_kwargs() -> dict:
    """Keyword arguments for a form or serializer field of free text: the limit and its message."""
    return {"max_length": max_length(), "error_messages": ERROR_MESSAGES}
