"""Paytm payment links end to end: the manager picks the demo hospital's Paytm gateway, the
adapter makes a link (customer, e-mail + SMS notification, expiry, status callback URL),
the patient pays on the sandbox's hosted page, the link payment form (CHECKSUMHASH)
arrives both at the merchant's webhook URL and at the link's statusCallbackUrl, verifies
and parses, and the adapter reads the link as paid.
"""

from decimal import Decimal

import pytest

from skinspire.gateways.manager import run_with_fallback
from skinspire.gateways.models import Provider
from skinspire.gateways.providers.interface import (
    CheckoutVerification,
    Customer,
    LinkStatus,
    PaymentLinkRequest,
)
from skinspire.gateways.providers.registry import provider_for
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db

AMOUNT = Decimal("1500.10")
STATUS_HOOK = f"{e2e.HOOKS}/paytm-status/"  # the link's own statusCallbackUrl
PAYER = {"mobile": "9876543210", "email": "asha@example.com"}


@pytest.fixture
def merchant(demo_merchants):
    return demo_merchants["paytm"]


def link_create(hospital, expire_by):
    request = PaymentLinkRequest(
        amount=AMOUNT,
        reference_id="SKNBILL7001",
        customer=Customer(name="Asha Rao", email="asha@example.com", phone="9876543210"),
        description="OPD bill 7001",
        expire_by=expire_by,
        notify_email=True,
        notify_sms=True,
        callback_url=STATUS_HOOK,
    )
    created, configuration = run_with_fallback(
        hospital=hospital,
        capability="payment_links",
        provider=Provider.PAYTM,
        operation=lambda provider, _configuration: provider.create_payment_link(request),
    )
    return created, provider_for(configuration)


def pay_on_phone(url: str, capture, *, outcome: str = "success"):
    """The patient opens the short URL and pays by UPI; the forms go out after commit."""
    phone = e2e.patient_browser()
    page = phone.get(e2e.path_of(url))
    assert page.status_code == 200 and "₹1,500.10" in page.content.decode()
    with capture(execute=True):
        return phone.post(e2e.path_of(url), {"method": "upi", "outcome": outcome, **PAYER})


def test_patient_pays_the_link_and_the_signed_form_arrives(
    hospital, merchant, receiver, expire_by, django_capture_on_commit_callbacks
):
    created, provider = link_create(hospital, expire_by)
    link_id = created.gateway_link_id
    assert (created.status, created.amount, created.expire_by) == (LinkStatus.CREATED, AMOUNT, expire_by)
    assert created.url == f"http://sandbox.testserver/sandbox/paytm/link/{link_id}/"

    paid = pay_on_phone(created.url, django_capture_on_commit_callbacks)

    assert paid.status_code == 200 and "Payment successful" in paid.content.decode()
    assert [hook.provider for hook in e2e.RECEIVED] == ["paytm", "paytm-status"]
    webhook, status_callback = e2e.verified_events(provider, e2e.RECEIVED)
    form = dict(status_callback.raw)
    fetched = provider.fetch_payment_link(link_id)
    assert (fetched.status, fetched.amount_paid, fetched.payment_ids) == (
        LinkStatus.PAID,
        AMOUNT,
        (form["TXNID"],),
    )
    for event in (webhook, status_callback):
        assert (event.event_type, event.object_type, event.object_id, event.status, event.amount) == (
            "payment.TXN_SUCCESS",
            "payment_link",
            link_id,
            "TXN_SUCCESS",
            AMOUNT,
        )
        assert (event.reference_id, event.utr) == (form["ORDERID"], form["BANKTXNID"])
        assert (event.gateway_order_id, event.gateway_payment_id) == (form["ORDERID"], form["TXNID"])
        assert (event.failure_code, event.failure_reason) == ("", "")
        assert event.event_id == f"payment:{form['ORDERID']}:TXN_SUCCESS:01"
    assert (form["PAYMENTMODE"], form["MERC_UNQ_REF"], form["PAYMENTEMAILID"]) == (
        "UPI",
        f"LI_{link_id}",
        "asha@example.com",
    )
    assert provider.verify_payment_link_callback(form) is True
    forged = {**form, "TXNAMOUNT": "1.00"}
    assert provider.verify_payment_link_callback(forged) is False
    # The same form verifies as a checkout callback too: one checksum check behind both.
    verification = CheckoutVerification(form["ORDERID"], form["TXNID"], form["CHECKSUMHASH"], extra=form)
    assert provider.verify_checkout(verification) is True
    assert (
        provider.verify_checkout(CheckoutVerification(form["ORDERID"], form["TXNID"], "", extra=forged))
        is False
    )
    hook = e2e.RECEIVED[0]
    assert provider.verify_webhook(body=e2e.tampered(hook.body), headers=hook.headers) is False


def test_a_declined_payment_leaves_the_link_open_and_sends_txn_failure(
    hospital, merchant, receiver, expire_by, django_capture_on_commit_callbacks
):
    created, provider = link_create(hospital, expire_by)

    declined = pay_on_phone(created.url, django_capture_on_commit_callbacks, outcome="failure")

    assert declined.status_code == 200 and "Payment failed" in declined.content.decode()
    fetched = provider.fetch_payment_link(created.gateway_link_id)
    assert (fetched.status, fetched.amount_paid, fetched.payment_ids) == (
        LinkStatus.CREATED,
        Decimal("0.00"),
        (),
    )
    events = e2e.verified_events(provider, e2e.RECEIVED)
    assert [(event.event_type, event.object_id, event.amount) for event in events] == [
        ("payment.TXN_FAILURE", created.gateway_link_id, AMOUNT)
    ] * 2
    assert events[0].failure_code == "227"
    assert events[0].failure_reason.startswith("Your payment has been declined by your bank.")
    assert provider.verify_payment_link_callback(dict(events[1].raw)) is True
    assert events[0].utr == ""
