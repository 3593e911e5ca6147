"""A payout Paytm still holds says why, as a RazorpayX one does (test_waiting_reason.py): the
status answer's statusCode and statusMessage while it is ACCEPTED or PENDING (reference §1.4),
through the Paytm sandbox; they go once the payout is final."""

from datetime import timedelta

import pytest
from django.utils import timezone

from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.webhooks.status_sync import status_sync_run
from skinspire.payouts.selectors import payment_history
from skinspire.payouts.services.submission import supplier_payment_dispatch
from skinspire.payouts.tests.test_apply_event import approved_payout
from skinspire.sandbox.models import SandboxMerchant, SandboxObject, SandboxProvider
from skinspire.sandbox.paytm import selectors
from skinspire.sandbox.paytm.services.payouts import paytm_payout_advance

pytestmark = pytest.mark.django_db

SANDBOX = "http://sandbox.testserver/sandbox/paytm"
IN_PROCESS = "Your request is in process. Kindly check after sometime"


@pytest.fixture
def paytm(hospital):
    """The hospital's default gateway: a Paytm sandbox merchant, its callbacks sent nowhere."""
    configuration = GatewayConfigurationFactory(
        hospital=hospital, paytm=True, is_default=True, base_url=SANDBOX, payout_base_url=SANDBOX
    )
    credentials = credentials_for(configuration)
    SandboxMerchant.objects.create(
        provider=SandboxProvider.PAYTM,
        name="Skinspire test",
        key_id=credentials.key_id,
        key_secret=credentials.value("merchant_key"),
        account_number=credentials.value("subwallet_guid"),
    )
    return configuration


def paytm_advances() -> None:
    paytm_payout_advance(object_id=SandboxObject.objects.get(entity=selectors.PAYOUT).object_id)


def sync_and_read(payment, hours: int) -> tuple[str, str, str]:
    status_sync_run(now=timezone.now() + timedelta(hours=hours))
    payment.refresh_from_db()
    return payment.status, payment.waiting_code, payment.waiting_reason


def test_paytms_message_is_the_waiting_reason_until_the_payout_is_final(paytm, chart, supplier, maker):
    payment = approved_payout(supplier, maker)

    supplier_payment_dispatch(payment_id=payment.pk)  # Paytm answers ACCEPTED, DE_002

    payment.refresh_from_db()
    assert (payment.status, payment.waiting_code, payment.waiting_reason) == (
        "processing",
        "DE_002",
        "Request accepted",
    )
    assert payment_history(payment=payment).last().reason == "Request accepted"  # the timeline too

    paytm_advances()  # PENDING, DE_101: its callback is lost; the status sync asks
    assert sync_and_read(payment, hours=1) == ("processing", "DE_101", IN_PROCESS)

    paytm_advances()  # SUCCESS
    assert sync_and_read(payment, hours=2) == ("completed", "", "")


def test_a_payout_paytm_fails_keeps_no_waiting_reason(paytm, chart, supplier, maker):
    payment = approved_payout(supplier, maker, account_number="50100012340000")  # the bank rejects it
    supplier_payment_dispatch(payment_id=payment.pk)
    paytm_advances()
    assert sync_and_read(payment, hours=1) == ("processing", "DE_101", IN_PROCESS)

    paytm_advances()  # FAILURE, DE_111

    status, code, reason = sync_and_read(payment, hours=2)
    assert (status, code, reason, payment.failure_code) == ("failed", "", "", "DE_111")
