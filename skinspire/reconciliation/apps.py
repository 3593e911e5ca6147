from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "skinspire.reconciliation"
    label = "reconciliation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from skinspire.reconciliation.sources.collections import patient_payment_rows, patient_refund_rows
        from skinspire.reconciliation.sources.payouts import supplier_payout_rows
        from skinspire.reconciliation.system_sources import register_system_source

        register_system_source("patient_payment", patient_payment_rows)
        register_system_source("patient_refund", patient_refund_rows)
        # Matched against the payouts account's statement (fetch_payout_lines), not the
        # settlement lines, which never hold payouts; see services/runs.py.
        register_system_source("supplier_payout", supplier_payout_rows)
