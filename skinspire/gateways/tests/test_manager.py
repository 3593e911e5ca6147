"""Choosing a gateway configuration, and falling back only when the first provably failed."""

import pytest
import requests
import responses

from skinspire.core.tests.factories import BranchFactory
from skinspire.gateways.errors import (
    GatewayAPIError,
    GatewayConfigurationError,
    GatewayTimeoutError,
    GatewayUnreachableError,
)
from skinspire.gateways.manager import run_with_fallback, select_configurations
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_razorpay_support import configuration as razorpay_configuration
from skinspire.gateways.tests.test_razorpay_support import payout_entity

pytestmark = pytest.mark.django_db

FIRST, SECOND = "https://first.razorpay.test", "https://second.razorpay.test"


def names(configurations) -> list[str]:
    return [configuration.name for configuration in configurations]


def fetch(gateway, configuration):
    return gateway.fetch_payout(gateway_payout_id="pout_00000000000001")


def test_default_first_then_by_priority(hospital):
    GatewayConfigurationFactory(hospital=hospital, name="late", priority=50)
    GatewayConfigurationFactory(hospital=hospital, name="early", priority=10, paytm=True)
    GatewayConfigurationFactory(hospital=hospital, name="default", priority=90, is_default=True)

    chosen = select_configurations(hospital=hospital, capability="payouts")

    assert names(chosen) == ["default", "early", "late"]
    assert "secrets" in chosen[0].get_deferred_fields()


def test_explicit_provider_narrows_the_candidates(hospital):
    GatewayConfigurationFactory(hospital=hospital, name="razorpay", is_default=True)
    GatewayConfigurationFactory(hospital=hospital, name="paytm", paytm=True)

    assert names(select_configurations(hospital=hospital, capability="payouts", provider="paytm")) == [
        "paytm"
    ]


def test_branch_default_beats_hospital_default_and_other_branches_are_ignored(hospital, branch):
    other_branch = BranchFactory(hospital=hospital)
    GatewayConfigurationFactory(hospital=hospital, name="hospital default", is_default=True, priority=1)
    GatewayConfigurationFactory(
        hospital=hospital, branch=branch, name="branch default", is_default=True, priority=99
    )
    GatewayConfigurationFactory(hospital=hospital, branch=other_branch, name="other branch", priority=0)

    with_branch = select_configurations(hospital=hospital, branch=branch, capability="collections")
    without_branch = select_configurations(hospital=hospital, capability="collections")

    assert names(with_branch) == ["branch default", "hospital default"]
    assert names(without_branch) == ["hospital default"]


def test_inactive_other_hospitals_and_missing_capabilities_are_ignored(hospital):
    GatewayConfigurationFactory(hospital=hospital, name="inactive", is_active=False, priority=1)
    GatewayConfigurationFactory(
        hospital=hospital, name="collections only", capabilities=["collections"], priority=2
    )
    GatewayConfigurationFactory(name="another hospital", priority=0)
    GatewayConfigurationFactory(hospital=hospital, name="payouts", capabilities=["payouts"], priority=3)

    assert names(select_configurations(hospital=hospital, capability="payouts")) == ["payouts"]
    assert names(select_configurations(hospital=hospital, capability="collections")) == ["collections only"]


def test_mode_follows_the_default_and_is_never_mixed(hospital):
    GatewayConfigurationFactory(hospital=hospital, name="live default", mode="live", is_default=True)
    GatewayConfigurationFactory(hospital=hospital, name="test", mode="test", priority=1)
    GatewayConfigurationFactory(hospital=hospital, name="live backup", mode="live", priority=5)

    assert names(select_configurations(hospital=hospital, capability="payouts")) == [
        "live default",
        "live backup",
    ]
    assert names(select_configurations(hospital=hospital, capability="payouts", mode="test")) == ["test"]


def test_without_a_default_live_wins_over_test(hospital):
    GatewayConfigurationFactory(hospital=hospital, name="test", mode="test", priority=1)
    GatewayConfigurationFactory(hospital=hospital, name="live", mode="live", priority=5)

    assert names(select_configurations(hospital=hospital, capability="payouts")) == ["live"]


def test_nothing_configured_is_a_clear_error(hospital, branch):
    GatewayConfigurationFactory(hospital=hospital, capabilities=["collections"])

    with pytest.raises(GatewayConfigurationError) as caught:
        select_configurations(hospital=hospital, branch=branch, capability="payouts", provider="paytm")

    assert caught.value.message == (
        f"No active paytm gateway that can do payouts is configured for {hospital} ({branch}). "
        "A gateway admin can add or enable one in admin under Gateway configurations."
    )
    assert caught.value.code == "not_configured"


@pytest.mark.parametrize(
    ("capability", "said"), [("payment_links", "payment links"), ("account_validation", "account validation")]
)
def test_nothing_configured_names_the_capability_in_words(hospital, capability, said):
    """Payments staff read "that can do payment_links" on the bill page."""
    with pytest.raises(GatewayConfigurationError) as caught:
        select_configurations(hospital=hospital, capability=capability)

    assert caught.value.message.startswith(
        f"No active gateway that can do {said} is configured for {hospital}."
    )


def test_falls_back_when_the_first_gateway_was_never_reached(hospital, unreachable_url):
    first = razorpay_configuration(hospital=hospital, is_default=True, base_url=unreachable_url)
    second = razorpay_configuration(hospital=hospital, priority=20, base_url=SECOND)
    with responses.RequestsMock() as mock:
        mock.add_passthru("http://127.0.0.1")
        mock.get(f"{SECOND}/v1/payouts/pout_00000000000001", json=payout_entity())

        result, used = run_with_fallback(
            hospital=hospital, capability="payouts", operation=fetch, allow_fallback=True
        )

    assert used == second
    assert result.gateway_payout_id == "pout_00000000000001"
    outcomes = list(GatewayTransactionLog.objects.order_by("id").values_list("configuration_id", "outcome"))
    assert outcomes == [(first.pk, "unreachable"), (second.pk, "success")]


@responses.activate
def test_falls_back_on_a_definite_refusal_and_reports_every_attempt_when_all_fail(hospital):
    first = razorpay_configuration(hospital=hospital, is_default=True, base_url=FIRST)
    second = razorpay_configuration(hospital=hospital, priority=20, base_url=SECOND)
    refusal = {"error": {"code": "BAD_REQUEST_ERROR", "description": "Payouts are not enabled"}}
    responses.get(f"{FIRST}/v1/payouts/pout_00000000000001", status=400, json=refusal)
    responses.get(f"{SECOND}/v1/payouts/pout_00000000000001", status=400, json=refusal)

    with pytest.raises(GatewayAPIError) as caught:
        run_with_fallback(hospital=hospital, capability="payouts", operation=fetch, allow_fallback=True)

    assert [attempt["configuration_id"] for attempt in caught.value.extra["tried"]] == [first.pk, second.pk]
    assert len(responses.calls) == 2


@responses.activate
def test_never_falls_back_after_a_timeout(hospital):
    razorpay_configuration(hospital=hospital, is_default=True, base_url=FIRST)
    razorpay_configuration(hospital=hospital, priority=20, base_url=SECOND)
    responses.get(
        f"{FIRST}/v1/payouts/pout_00000000000001", body=requests.exceptions.ReadTimeout("read timed out")
    )
    second = responses.get(f"{SECOND}/v1/payouts/pout_00000000000001", json=payout_entity())

    with pytest.raises(GatewayTimeoutError) as caught:
        run_with_fallback(hospital=hospital, capability="payouts", operation=fetch, allow_fallback=True)

    assert second.call_count == 0
    assert [attempt["provably_failed"] for attempt in caught.value.extra["tried"]] == [False]


def test_no_fallback_unless_the_caller_allows_it(hospital, unreachable_url):
    razorpay_configuration(hospital=hospital, is_default=True, base_url=unreachable_url)
    razorpay_configuration(hospital=hospital, priority=20, base_url=SECOND)

    with responses.RequestsMock() as mock:
        mock.add_passthru("http://127.0.0.1")
        with pytest.raises(GatewayUnreachableError) as caught:
            run_with_fallback(hospital=hospital, capability="payouts", operation=fetch)

    assert len(caught.value.extra["tried"]) == 1
    assert GatewayTransactionLog.objects.count() == 1


@responses.activate
def test_a_configuration_with_missing_keys_is_skipped_when_fallback_is_allowed(hospital):
    razorpay_configuration(hospital=hospital, is_default=True, base_url=FIRST, key_id="")
    second = razorpay_configuration(hospital=hospital, priority=20, base_url=SECOND)
    responses.get(f"{SECOND}/v1/payouts/pout_00000000000001", json=payout_entity())

    _, used = run_with_fallback(hospital=hospital, capability="payouts", operation=fetch, allow_fallback=True)

    assert used == second


@responses.activate
def test_explicit_provider_is_used(hospital):
    razorpay_configuration(hospital=hospital, name="default", is_default=True, base_url=FIRST)
    GatewayConfigurationFactory(hospital=hospital, paytm=True, name="paytm")
    responses.get(f"{FIRST}/v1/payouts/pout_00000000000001", json=payout_entity())

    _, used = run_with_fallback(hospital=hospital, capability="payouts", operation=fetch, provider="razorpay")

    assert used.name == "default"
