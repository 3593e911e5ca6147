"""Payouts register their payout handler and status source with the webhook inbox, when the
inbox is installed (it is being merged from its own branch); without it, nothing breaks."""

import importlib
from importlib.util import find_spec

from django.apps import apps

from skinspire.payouts.apps import INBOX_PACKAGE
from skinspire.payouts.services.events import supplier_payment_apply_event, supplier_payments_pending


def test_ready_registers_with_the_inbox_when_there_is_one():
    apps.get_app_config("payouts").ready()  # again: registering the same functions is harmless

    if find_spec(INBOX_PACKAGE) is None:
        assert find_spec("skinspire.gateways") is not None  # the guard looks in the right place
    else:
        registry = importlib.import_module(f"{INBOX_PACKAGE}.registry")
        assert registry.handler_for("payout") is supplier_payment_apply_event
        assert registry.status_sources()["payouts"] is supplier_payments_pending
