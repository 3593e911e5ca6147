"""Payouts register their payout handler and status source with the webhook inbox."""

from django.apps import apps

from skinspire.gateways.webhooks import registry
from skinspire.payouts.services.events import supplier_payment_apply_event, supplier_payments_pending


def test_ready_registers_the_payout_handler_and_status_source():
    apps.get_app_config("payouts").ready()  # again: registering the same functions is harmless

    assert registry.handler_for("payout") is supplier_payment_apply_event
    assert registry.status_sources()["payouts"] is supplier_payments_pending


def test_ready_registers_the_payout_link_handler_and_status_source():
    from skinspire.payouts.services.payout_link_events import (
        supplier_payout_link_apply_event,
        supplier_payout_links_pending,
    )

    apps.get_app_config("payouts").ready()

    assert registry.handler_for("payout_link") is supplier_payout_link_apply_event
    assert registry.status_sources()["payout_links"] is supplier_payout_links_pending
