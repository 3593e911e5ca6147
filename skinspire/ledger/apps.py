from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "skinspire.ledger"
    label = "ledger"
    verbose_name = "General ledger"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from skinspire.core.services import register_hospital_setup
        from skinspire.ledger.services import chart_of_accounts_setup

        # Every new hospital gets the default chart of accounts in hospital_create's transaction.
        register_hospital_setup(chart_of_accounts_setup)
