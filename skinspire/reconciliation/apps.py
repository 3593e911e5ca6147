from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "skinspire.reconciliation"
    label = "reconciliation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from skinspire.reconciliation.sources.collections import patient_payment_rows, patient_refund_rows
        from skinspire.reconciliation.system_sources import register_system_source

        # Supplier payouts are not registered: they never appear in settlement lines (RazorpayX
        # debits each payout from its balance), so against settlements every payout would read
        # "missing at gateway". They need the payout statement, which the adapters lack yet.
        register_system_source("patient_payment", patient_payment_rows)
        register_system_source("patient_refund", patient_refund_rows)
