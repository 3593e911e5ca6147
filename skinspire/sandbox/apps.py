from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "skinspire.sandbox"
    label = "sandbox"
    verbose_name = "Sandbox gateway"
    default_auto_field = "django.db.models.BigAutoField"
