from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "skinspire.collections"
    label = "collections"
    verbose_name = "Patient collections"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Gateways never imports collections (DESIGN.md): the webhook inbox and the status
        # sync reach our services through these registrations.
        from skinspire.collections import status_sources
        from skinspire.collections.services import events
        from skinspire.gateways.webhooks.registry import register_handler, register_status_source

        register_handler("payment", events.patient_payment_apply_event)
        register_handler("order", events.patient_payment_apply_event)
        register_handler("payment_link", events.payment_link_apply_event)
        register_handler("refund", events.patient_refund_apply_event)
        register_status_source("collections.payments", status_sources.patient_payments_pending)
        register_status_source("collections.refunds", status_sources.patient_refunds_pending)
        register_status_source("collections.links", status_sources.payment_links_open)
