from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "skinspire.collections"
    label = "collections"
    verbose_name = "Patient collections"
    default_auto_field = "django.db.models.BigAutoField"
