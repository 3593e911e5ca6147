from django.apps import AppConfig


class ReconciliationSourceTestsConfig(AppConfig):
    """Test-only: a payments table of its own and its reconciliation source, registered as the
    payouts and collections apps register theirs. Installed by settings.test only."""

    name = "skinspire.reconciliation.tests.source_app"
    label = "reconciliation_source_tests"
    verbose_name = "Reconciliation source (tests only)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from skinspire.reconciliation.system_sources import register_system_source
        from skinspire.reconciliation.tests.source_app.sources import trial_payment_rows

        register_system_source("trial", trial_payment_rows)
