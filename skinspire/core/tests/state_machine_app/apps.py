from django.apps import AppConfig


class StateMachineTestsConfig(AppConfig):
    name = "skinspire.core.tests.state_machine_app"
    label = "core_state_machine_tests"
    verbose_name = "State machine (tests only)"
    default_auto_field = "django.db.models.BigAutoField"
