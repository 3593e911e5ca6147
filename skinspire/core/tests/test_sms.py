"""The pluggable SMS backend: the console by default, the one SMS_BACKEND names otherwise,
and the old skinspire.collections.sms paths still naming the same classes."""

from skinspire.collections import sms as collections_sms
from skinspire.core.sms import ConsoleSmsBackend, LocmemSmsBackend, TextMessage, sms_send


def test_the_console_is_the_default(settings, capsys):
    del settings.SMS_BACKEND  # as in development: no setting at all

    sms_send(to="+919876543210", text="Pay at https://pay.example/1")

    assert capsys.readouterr().out == "SMS to +919876543210: Pay at https://pay.example/1\n"


def test_the_backend_named_in_settings_sends(sms_outbox):
    sms_send(to="9812345678", text="Hello")

    assert sms_outbox == [TextMessage(to="9812345678", text="Hello")]


def test_settings_may_still_name_the_collections_path(settings, sms_outbox):
    settings.SMS_BACKEND = "skinspire.collections.sms.LocmemSmsBackend"

    sms_send(to="9812345678", text="Hello")

    assert sms_outbox == [TextMessage(to="9812345678", text="Hello")]
    assert (collections_sms.LocmemSmsBackend, collections_sms.ConsoleSmsBackend) == (
        LocmemSmsBackend,
        ConsoleSmsBackend,
    )
    assert collections_sms.sms_send is sms_send
