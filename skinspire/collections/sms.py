"""The SMS backend moved to skinspire.core.sms (payouts send texts too, and may not import
collections). These names stay importable so an SMS_BACKEND setting written as
"skinspire.collections.sms.<Backend>" keeps working; they are the same classes, so a test's
LocmemSmsBackend.outbox is one list under either path."""

from skinspire.core.sms import ConsoleSmsBackend, LocmemSmsBackend, TextMessage, sms_send

__all__ = ["ConsoleSmsBackend", "LocmemSmsBackend", "TextMessage", "sms_send"]
