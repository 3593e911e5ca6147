from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "skinspire.core"
    label = "core"
    verbose_name = "Hospitals and staff"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from skinspire.core import checks  # noqa: F401  (registers the system checks)
