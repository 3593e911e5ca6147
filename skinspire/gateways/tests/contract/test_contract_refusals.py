"""The adapter contract, refusals: what every adapter refuses before any request leaves.

A capability the configuration lacks, an operation the adapter has no API for, a request
no gateway would take (mode against destination, lookups without ids, amounts that are
not positive whole paise): the same class from every adapter, provably failed, and the
wire (the adapter's own session) carried nothing, so nothing was logged or created.
"""

from decimal import Decimal

import pytest

from skinspire.gateways.errors import InvalidGatewayRequestError, UnsupportedOperationError
from skinspire.gateways.models import Capability, GatewayTransactionLog
from skinspire.gateways.providers.interface import (
    ContactRequest,
    FundAccountRequest,
    FundAccountValidationRequest,
    PayoutLinkRequest,
    PayoutMode,
)
from skinspire.gateways.tests.contract import builders
from skinspire.gateways.tests.contract.gateways import SPECS, open_gateway, over_both, per_gateway, reopen
from skinspire.gateways.tests.factories import EVERY_CAPABILITY
from skinspire.sandbox.models import SandboxObject

pytestmark = pytest.mark.django_db

CONTACT = ContactRequest(name="Medi Supply Co", reference_id="SUP-7")
OPERATIONS = {
    "create_contact": lambda provider: provider.create_contact(CONTACT),
    "create_fund_account": lambda provider: provider.create_fund_account(
        FundAccountRequest(contact_id="cont_Unsent000000001", destination=builders.bank())
    ),
    "create_payout": lambda provider: provider.create_payout(builders.payout()),
    "cancel_payout": lambda provider: provider.cancel_payout("pout_Unsent000000001"),
    "create_payout_link": lambda provider: provider.create_payout_link(
        PayoutLinkRequest(
            amount=Decimal("100.00"), reference_id="CPL-1", contact=CONTACT, description="INV 7"
        )
    ),
    "fetch_payout_link": lambda provider: provider.fetch_payout_link("poutlk_Unsent00000001"),
    "cancel_payout_link": lambda provider: provider.cancel_payout_link("poutlk_Unsent00000001"),
    "create_order": lambda provider: provider.create_order(builders.order()),
    "capture_payment": lambda provider: provider.capture_payment("pay_Unsent0000000001", Decimal("100.00")),
    "create_payment_link": lambda provider: provider.create_payment_link(builders.payment_link()),
    "validate_fund_account": lambda provider: provider.validate_fund_account(
        FundAccountValidationRequest(fund_account_id="fa_Unsent0000000001")
    ),
}
GATED = {
    "create_contact": Capability.PAYOUTS,
    "create_payout": Capability.PAYOUTS,
    "create_payout_link": Capability.PAYOUT_LINKS,
    "create_order": Capability.COLLECTIONS,
    "create_payment_link": Capability.PAYMENT_LINKS,
    "validate_fund_account": Capability.ACCOUNT_VALIDATION,
}


def assert_nothing_left(gateway) -> None:
    assert gateway.wire.sent == []
    assert not GatewayTransactionLog.objects.exists()
    assert not SandboxObject.objects.filter(merchant=gateway.merchant).exists()


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
@pytest.mark.parametrize("operation", GATED)
def test_a_configuration_without_the_capability_refuses_the_operation(hospital, spec, operation):
    without = [name for name in EVERY_CAPABILITY if name != GATED[operation]]
    gateway = open_gateway(spec, hospital=hospital, capabilities=without)

    with pytest.raises(UnsupportedOperationError) as caught:
        OPERATIONS[operation](gateway.provider)

    error = caught.value
    assert (error.code, error.provider, error.provably_failed, error.status_code) == (
        "unsupported",
        spec.name,
        True,
        400,
    )
    assert_nothing_left(gateway)


@over_both
def test_a_missing_capability_refuses_only_its_own_operations(gateway):
    gateway = reopen(gateway, capabilities=[Capability.COLLECTIONS])

    order = gateway.provider.create_order(builders.order())

    assert order.gateway_order_id
    with pytest.raises(UnsupportedOperationError):
        gateway.provider.create_payout(builders.payout())


@over_both
def test_follow_ups_of_what_was_started_stay_open_after_the_capability_is_switched_off(gateway):
    created = gateway.provider.create_payout(builders.payout())
    gateway = reopen(gateway, capabilities=[])

    fetched = gateway.provider.fetch_payout(reference_id="CPAY-0001")

    assert fetched.gateway_payout_id == created.gateway_payout_id


@per_gateway("operation", [(spec, name) for spec in SPECS for name in spec.unsupported_operations])
def test_an_operation_the_adapter_has_no_api_for_is_refused(gateway, operation):
    with pytest.raises(UnsupportedOperationError) as caught:
        OPERATIONS[operation](gateway.provider)

    assert (caught.value.code, caught.value.provably_failed) == ("unsupported", True)
    assert_nothing_left(gateway)


INVALID = {
    "upi_mode_to_a_bank_account": (
        lambda provider: provider.create_payout(builders.payout(mode=PayoutMode.UPI)),
        "mode",
    ),
    "bank_mode_to_a_upi_id": (
        lambda provider: provider.create_payout(
            builders.payout(destination=builders.upi(), mode=PayoutMode.NEFT)
        ),
        "mode",
    ),
    "payout_lookup_without_ids": (lambda provider: provider.fetch_payout(), None),
    "payment_lookup_without_ids": (lambda provider: provider.fetch_payment(), None),
    "refund_lookup_without_ids": (lambda provider: provider.fetch_refund(), None),
}


@over_both
@pytest.mark.parametrize("situation", INVALID)
def test_a_request_no_gateway_would_take_is_refused_before_sending(gateway, situation):
    call, code = INVALID[situation]

    with pytest.raises(InvalidGatewayRequestError) as caught:
        call(gateway.provider)

    error = caught.value
    assert (error.provider, error.provably_failed, error.retryable, error.status_code) == (
        gateway.spec.name,
        True,
        False,
        400,
    )
    if code:
        assert error.code == code
    assert_nothing_left(gateway)


AMOUNTS = {
    "sub_paise": Decimal("1234.565"),
    "zero": Decimal("0.00"),
    "negative": Decimal("-10.00"),
    "float": 1234.56,
}
WITH_AMOUNT = {
    "create_payout": lambda provider, amount: provider.create_payout(builders.payout(amount=amount)),
    "create_order": lambda provider, amount: provider.create_order(builders.order(amount=amount)),
    "create_payment_link": lambda provider, amount: provider.create_payment_link(
        builders.payment_link(amount=amount)
    ),
    "create_refund": lambda provider, amount: provider.create_refund(
        builders.refund(
            gateway_payment_id="pay_Unsent0000000001", gateway_order_id="CBILL-0001", amount=amount
        )
    ),
}


@over_both
@pytest.mark.parametrize("operation", WITH_AMOUNT)
@pytest.mark.parametrize("amount", AMOUNTS)
def test_an_amount_that_is_not_positive_whole_paise_is_refused_never_rounded(gateway, operation, amount):
    with pytest.raises(InvalidGatewayRequestError) as caught:
        WITH_AMOUNT[operation](gateway.provider, AMOUNTS[amount])

    assert (caught.value.code, caught.value.extra["field"], caught.value.provably_failed) == (
        "amount",
        "amount",
        True,
    )
    assert_nothing_left(gateway)
