"""Text messages (to patients, to suppliers) through a pluggable backend, like Django's
e-mail backends: settings.SMS_BACKEND names the class (the console by default, as e-mail in
development). A real provider (an SMS gateway's HTTP API) is one more class with the same
`send`. In core because collections and payouts both send, and neither may import the other;
skinspire.collections.sms keeps the old dotted paths working for settings that name them."""

import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

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
