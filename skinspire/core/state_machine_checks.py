"""System checks: a model's state machine and its status field must agree, at start-up."""

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from skinspire.core.state_machine import StateMachine


@checks.register(checks.Tags.models)
def check_state_machines(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from skinspire.core.models import StatusTransition

    history_length = StatusTransition._meta.get_field("to_state").max_length or 0
    errors = []
    for model in apps.get_models():
        machine = getattr(model, "state_machine", None)
        if machine is None or (app_configs and model._meta.app_config not in app_configs):
            continue
        errors.extend(_model_errors(model, machine, history_length))
    return errors


def _model_errors(model, machine, history_length: int) -> list[checks.CheckMessage]:
    def error(message: str, code: str) -> checks.Error:
        return checks.Error(message, obj=model, id=f"core.E1{code}")

    if not isinstance(machine, StateMachine):
        return [error("`state_machine` must be a skinspire.core.state_machine.StateMachine.", "01")]
    try:
        field = model._meta.get_field("status")
    except FieldDoesNotExist:
        return [error("A model with a `state_machine` needs a `status` field.", "02")]
    errors: list[checks.CheckMessage] = []
    if {value for value, _ in field.flatchoices} != set(machine.states):
        errors.append(error("`status` choices must be `state_machine.choices`.", "03"))
    longest = max(len(state) for state in machine.states)
    if longest > min(field.max_length or 0, history_length):
        errors.append(error(f"A state is longer than `status` or the history can hold ({longest}).", "04"))
    return errors
