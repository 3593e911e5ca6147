"""System checks catch a model whose state machine and status field disagree, at start-up."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from skinspire.core.state_machine import StateMachine
from skinspire.core.state_machine_checks import _model_errors, check_state_machines

MACHINE = StateMachine(ranks={"open": 0, "closed": 1}, moves={"open": {"closed"}}, final={"closed"})


def test_the_projects_models_pass():
    assert check_state_machines() == []


@isolate_apps("skinspire.core.tests.state_machine_app")
@pytest.mark.parametrize(
    ("attributes", "code", "message"),
    [
        ({"state_machine": {"open": 0}}, "core.E101", "must be a skinspire.core.state_machine.StateMachine"),
        ({"state_machine": MACHINE}, "core.E102", "needs a `status` field"),
        (
            {"state_machine": MACHINE, "status": models.CharField(max_length=10, choices=[("open", "Open")])},
            "core.E103",
            "`status` choices must be `state_machine.choices`",
        ),
        (
            {"state_machine": MACHINE, "status": models.CharField(max_length=4, choices=MACHINE.choices)},
            "core.E104",
            "A state is longer than `status` or the history can hold (6)",
        ),
    ],
)
def test_a_mismatch_is_an_error(attributes, code, message):
    model = type(
        "Ticket",
        (models.Model,),
        {"__module__": "skinspire.core.tests.state_machine_app.models", **attributes},
    )
    [error] = _model_errors(model, model.state_machine, 40)
    assert (error.id, error.obj) == (code, model)
    assert message in error.msg
