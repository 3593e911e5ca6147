"""Razorpay payment links end to end: the manager picks the demo gateway, the adapter makes
a link (customer, e-mail + SMS notification, expiry, callback URL), the patient pays on the
sandbox's hosted page, the callback redirect carries a signature the adapter (and the
SDK) accepts, the adapter reads the link as paid, and the signed `payment_link.paid` webhook arrives.
"""

from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from razorpay.errors import SignatureVerificationError

from skinspire.gateways.manager import run_with_fallback
from skinspire.gateways.models import Provider
from skinspire.gateways.providers.interface import Customer, LinkStatus, PaymentLinkRequest
from skinspire.gateways.providers.registry import provider_for
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db

CALLBACK = "https://hospital.example/pay/return"
AMOUNT = Decimal("1500.10")


@pytest.fixture
def merchant(demo_merchants):
    return demo_merchants["razorpay"]


def link_create(hospital, expire_by):
    request = PaymentLinkRequest(
        amount=AMOUNT,
        reference_id="BILL-7001",
        customer=Customer(name="Asha Rao", email="asha@example.com", phone="+919876543210"),
        description="OPD bill 7001",
        expire_by=expire_by,
        notify_email=True,
        notify_sms=True,
        callback_url=CALLBACK,
    )
    created, configuration = run_with_fallback(
        hospital=hospital,
        capability="payment_links",
        operation=lambda provider, _configuration: provider.create_payment_link(request),
    )
    assert configuration.provider == Provider.RAZORPAY
    return created, provider_for(configuration)


def pay_on_phone(url: str, capture, *, vpa: str, outcome: str = "success"):
    """The patient opens the short URL and pays by UPI; webhooks go out after commit."""
    phone = e2e.patient_browser()
    page = phone.get(e2e.path_of(url))
    assert page.status_code == 200 and "₹1,500.10" in page.content.decode()
    with capture(execute=True):
        return phone.post(e2e.path_of(url), {"method": "upi", "vpa": vpa, "outcome": outcome})


def signed_callback(response) -> dict[str, str]:
    """The redirect's query, as the callback view receives it."""
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    return dict(parse_qsl(location.query, keep_blank_values=True))


def sdk_params(query: dict[str, str]) -> dict[str, str]:
    """The same values under the key names the SDK's verify_payment_link_signature wants."""
    names = ("payment_link_id", "payment_link_reference_id", "payment_link_status")
    return {
        **{name: query[f"razorpay_{name}"] for name in names},
        "razorpay_payment_id": query["razorpay_payment_id"],
        "razorpay_signature": query["razorpay_signature"],
    }


def test_patient_pays_the_link_and_the_paid_webhook_arrives(
    hospital, merchant, receiver, expire_by, django_capture_on_commit_callbacks
):
    created, provider = link_create(hospital, expire_by)
    link_id = created.gateway_link_id
    assert (created.status, created.amount, created.expire_by) == (LinkStatus.CREATED, AMOUNT, expire_by)
    assert created.url == f"http://sandbox.testserver/sandbox/razorpay/l/{link_id}/"
    assert (created.raw["notify"], created.raw["callback_method"]) == ({"email": True, "sms": True}, "get")

    signed = signed_callback(pay_on_phone(created.url, django_capture_on_commit_callbacks, vpa="asha@okhdfc"))

    assert (
        signed["razorpay_payment_link_id"],
        signed["razorpay_payment_link_reference_id"],
        signed["razorpay_payment_link_status"],
    ) == (
        link_id,
        "BILL-7001",
        "paid",
    )
    assert provider.verify_payment_link_callback(signed) is True
    assert (
        provider.verify_payment_link_callback({**signed, "razorpay_payment_link_status": "created"}) is False
    )
    # The one cross-check: the SDK accepts what the sandbox signed, as the adapter does.
    assert provider.client.utility.verify_payment_link_signature(sdk_params(signed)) is True
    with pytest.raises(SignatureVerificationError):
        provider.client.utility.verify_payment_link_signature(
            sdk_params({**signed, "razorpay_payment_link_status": "created"})
        )
    payment_id = signed["razorpay_payment_id"]
    fetched = provider.fetch_payment_link(link_id)
    assert (fetched.status, fetched.amount_paid, fetched.payment_ids) == (
        LinkStatus.PAID,
        AMOUNT,
        (payment_id,),
    )

    events = e2e.verified_events(provider, e2e.received_from("razorpay"))
    assert [event.event_type for event in events] == [
        "payment.authorized",
        "payment.captured",
        "order.paid",
        "payment_link.paid",
    ]
    captured, link_paid = events[1], events[3]
    # 2% of ₹1,500.10 is ₹30.00, plus 18% GST ₹5.40 (sandbox fees.py).
    assert (captured.object_id, captured.amount, captured.fee, captured.tax) == (
        payment_id,
        AMOUNT,
        Decimal("35.40"),
        Decimal("5.40"),
    )
    assert (link_paid.object_type, link_paid.object_id, link_paid.status, link_paid.amount) == (
        "payment_link",
        link_id,
        "paid",
        AMOUNT,
    )
    assert (link_paid.reference_id, link_paid.gateway_payment_id, link_paid.gateway_order_id) == (
        "BILL-7001",
        payment_id,
        fetched.raw["order_id"],
    )
    hook = e2e.received_from("razorpay")[3]
    assert provider.verify_webhook(body=e2e.tampered(hook.body), headers=hook.headers) is False


def test_a_failing_vpa_leaves_the_link_open_and_sends_payment_failed(
    hospital, merchant, receiver, expire_by, django_capture_on_commit_callbacks
):
    created, provider = link_create(hospital, expire_by)

    response = pay_on_phone(created.url, django_capture_on_commit_callbacks, vpa="failure@razorpay")

    assert response.status_code == 402 and "Payment failed" in response.content.decode()
    fetched = provider.fetch_payment_link(created.gateway_link_id)
    assert (fetched.status, fetched.amount_paid, fetched.payment_ids) == (
        LinkStatus.CREATED,
        Decimal("0.00"),
        (),
    )
    (failed,) = e2e.verified_events(provider, e2e.received_from("razorpay"))
    assert (failed.event_type, failed.status, failed.amount) == ("payment.failed", "failed", AMOUNT)
    assert (failed.failure_code, failed.failure_reason) == ("payment_failed", "Payment failed")
    assert failed.gateway_order_id == fetched.raw["order_id"]
