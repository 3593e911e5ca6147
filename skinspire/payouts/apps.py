from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "skinspire.payouts"
    label = "payouts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Gateway events about payouts come to us through the webhook inbox's registry, and
        # its status sync asks the gateways about our payouts still in flight (DESIGN.md).
        from skinspire.gateways.webhooks.registry import register_handler, register_status_source
        from skinspire.payouts.services.events import supplier_payment_apply_event, supplier_payments_pending
        from skinspire.payouts.services.payout_link_events import (
            supplier_payout_link_apply_event,
            supplier_payout_links_pending,
        )

        register_handler("payout", supplier_payment_apply_event)
        register_handler("payout_link", supplier_payout_link_apply_event)
        register_status_source("payouts", supplier_payments_pending)
        register_status_source("payout_links", supplier_payout_links_pending)
