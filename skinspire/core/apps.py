from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "skinspire.core"
    label = "core"
    verbose_name = "Hospitals and staff"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings
        from django.core.checks import Tags, register

        from skinspire.core import state_machine_checks  # noqa: F401  (registers its system checks)
        from skinspire.core.audit.receivers import connect_receivers
        from skinspire.core.authentication import (
            receivers,  # noqa: F401
            schema,  # noqa: F401  (documents session auth)
        )
        from skinspire.core.checks import security_settings_check

        connect_receivers()

        # A deployment check everywhere; in production (SECURITY_CHECKS_ALWAYS) one that every
        # checking command runs, so weak keys stop `migrate` and `runserver` too.
        register(security_settings_check, Tags.security, deploy=not settings.SECURITY_CHECKS_ALWAYS)
