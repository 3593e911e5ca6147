"""Text messages (to patients, to suppliers) through a pluggable backend, like Django's
e-mail backends: settings.SMS_BACKEND names the class (the console by default, as e-mail in
development). A real provider (an SMS gateway's HTTP API) is one more class with the same
`send`. In core because collections and payouts both send, and neither may import the other;
skinspire.collections.sms keeps the old dotted paths working for settings that name them."""

import logging
import smtplib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from skinspire.core.errors import MessageNotSentError

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "skinspire.core.sms.ConsoleSmsBackend"


@dataclass(frozen=True)
class TextMessage:
    to: str
    text: str


class ConsoleSmsBackend:
    def send(self, message: TextMessage) -> None:
        sys.stdout.write(f"SMS to {message.to}: {message.text}\n")


class LocmemSmsBackend:
    """Keeps what was sent in `outbox`, for tests (as django.core.mail's locmem backend)."""

    outbox: list[TextMessage] = []

    def send(self, message: TextMessage) -> None:
        LocmemSmsBackend.outbox.append(message)


def sms_send(*, to: str, text: str) -> None:
    backend = import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()
    backend.send(TextMessage(to=to, text=text))


@contextmanager
def message_delivery(channel: str) -> Iterator[None]:
    """Around one send a person asked for (a link sent again): a mail server or SMS backend
    that fails is a clear 503 naming the channel, not a server error. What was sent by an
    earlier channel stays sent."""
    try:
        yield
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Sending by %s failed: %r", channel, error)
        raise MessageNotSentError(
            f"The {'e-mail' if channel == 'email' else 'SMS'} could not be sent: the "
            f"{'mail server' if channel == 'email' else 'SMS service'} did not take it. "
            "Try again later, or copy the link and send it yourself.",
            {"channel": channel},
        ) from error
