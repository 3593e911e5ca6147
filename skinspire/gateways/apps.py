from django.apps import AppConfig


class GatewaysConfig(AppConfig):
    name = "skinspire.gateways"
    label = "gateways"
    default_auto_field = "django.db.models.BigAutoField"
