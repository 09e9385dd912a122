"""A real SMTP server on loopback (aiosmtpd) that refuses the first messages, then accepts."""

import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class RefusingThenAccepting:
    """Answers DATA with a temporary failure `refusals` times, then accepts and keeps the messages."""

    def __init__(self, refusals: int):
        self.refusals = refusals
        self.refused = 0
        self.received: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refused < self.refusals:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.received.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(refusals: int):
    """(handler, port) of a running server; stopped afterwards."""
    handler = RefusingThenAccepting(refusals)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()
