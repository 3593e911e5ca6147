"""gateway_payments_state: switched off means no active configuration in the current mode."""

import pytest

from skinspire.core.tests.factories import BranchFactory
from skinspire.gateways.models import Mode
from skinspire.gateways.selectors import GatewayPaymentsState, gateway_payments_state
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db


def test_a_hospital_with_no_configuration_is_switched_off_in_test_mode(hospital):
    state = gateway_payments_state(hospital=hospital)
    assert state == GatewayPaymentsState(mode=Mode.TEST, active_configurations=0)
    assert state.switched_off is True


def test_an_active_hospital_wide_configuration_switches_it_on(hospital):
    GatewayConfigurationFactory(hospital=hospital)
    state = gateway_payments_state(hospital=hospital)
    assert (state.mode, state.active_configurations, state.switched_off) == (Mode.TEST, 1, False)


def test_deactivating_the_live_configuration_switches_off_even_with_a_test_one_active(hospital):
    GatewayConfigurationFactory(hospital=hospital, mode=Mode.LIVE, is_active=False)
    GatewayConfigurationFactory(hospital=hospital, mode=Mode.TEST, is_active=True)
    assert gateway_payments_state(hospital=hospital) == GatewayPaymentsState(
        mode=Mode.LIVE, active_configurations=0
    )


def test_the_default_decides_the_mode_and_the_branch_default_comes_first(hospital):
    branch = BranchFactory(hospital=hospital)
    GatewayConfigurationFactory(hospital=hospital, mode=Mode.LIVE, is_default=True)
    GatewayConfigurationFactory(hospital=hospital, branch=branch, mode=Mode.TEST, is_default=True)
    assert gateway_payments_state(hospital=hospital) == GatewayPaymentsState(
        mode=Mode.LIVE, active_configurations=1
    )
    assert gateway_payments_state(hospital=hospital, branch=branch) == GatewayPaymentsState(
        mode=Mode.TEST, active_configurations=1
    )


def test_another_branch_or_hospital_does_not_count(hospital):
    branch, other_branch = BranchFactory(hospital=hospital), BranchFactory(hospital=hospital)
    GatewayConfigurationFactory(hospital=hospital, branch=other_branch)
    GatewayConfigurationFactory()  # another hospital's
    assert gateway_payments_state(hospital=hospital, branch=branch).switched_off is True
    assert gateway_payments_state(hospital=hospital).switched_off is True
    assert gateway_payments_state(hospital=hospital, branch=other_branch).switched_off is False
