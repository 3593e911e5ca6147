from importlib.util import find_spec

from django.apps import AppConfig

# The webhook inbox (issue 8) is being built beside this app; until it is merged there is
# no registry to register with. Once it is, the guard finds it and payouts are wired in.
INBOX_PACKAGE = "skinspire.gateways.webhooks"


class PayoutsConfig(AppConfig):
    name = "skinspire.payouts"
    label = "payouts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        if find_spec(INBOX_PACKAGE) is None:
            return
        from skinspire.gateways.webhooks.registry import register_handler, register_status_source
        from skinspire.payouts.services.events import supplier_payment_apply_event, supplier_payments_pending

        register_handler("payout", supplier_payment_apply_event)
        register_status_source("payouts", supplier_payments_pending)
