"""Fixtures for the conversation tests: conversations in a given state (through `tests/workflow.py`,
which drives the real services) and a real SMTP server for the e-mail tests."""

from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from tests.background.smtp import free_port
from tests.factories import conversation_in


@pytest.fixture
def conversation_factory(db):
    """`conversation_factory(status, **kwargs)`: a conversation walked into `status` through the services."""
    return conversation_in


# --- a real SMTP server for the e-mail tests ------------------------------------------------------------

SITE = "https://samtale.example.no"


class Inbox:
    """What the SMTP server received: (recipients, parsed message) in order."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    """An aiosmtpd server on a free loopback port, with Django's SMTP backend pointed at it: the outbox's
    task delivers to it as it would to a real mail server."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            SAMTALE_SITE_URL=SITE,
        ):
            yield inbox
    finally:
        controller.stop()


def sent(inbox) -> list[tuple[str, str, str]]:
    """(recipient, subject, plain text body) of each message; a long subject is folded over lines on the
    wire, so it is compared unfolded, and the body's line ends are the wire's CRLF, compared as LF."""
    return [
        (
            to[0],
            " ".join(str(m["Subject"]).split()),
            m.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n"),
        )
        for to, m in inbox.messages
    ]
