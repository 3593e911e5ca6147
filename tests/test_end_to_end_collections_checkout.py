"""A patient pays a bill through each gateway's checkout, end to end, in-process.

Staff create the order through the API (the manager picks the demo hospital's gateway,
the adapter calls the sandbox); the patient pays on the sandbox's hosted checkout; the
browser's signed callback comes back (Razorpay: the checkout handler's three fields,
through /api/patient-payment/verify; Paytm: the signed form POSTed to our return page);
the payment is captured once, the bill is paid and the ledger posted once.
"""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.support import entries_for, history_of
from skinspire.core.models import AuditEntry
from skinspire.ledger.models import JournalEntry
from skinspire.sandbox.models import SandboxObject
from tests import e2e_support as e2e
from tests.collections_support import RECEIVED_LINES, create_order, pay_paytm, pay_razorpay

pytestmark = pytest.mark.django_db


def assert_paid_once(payment: PatientPayment, bill, provider: str, *, repeats: int = 0) -> None:
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert (payment.status, payment.source, payment.amount) == ("captured", provider, Decimal("1500.00"))
    assert payment.gateway_payment_id
    assert (bill.amount_paid, bill.status, bill.amount_open) == (
        Decimal("1500.00"),
        "partly_paid",
        Decimal("1000.00"),
    )
    assert entries_for(payment) == [("received", RECEIVED_LINES[provider])]
    assert (
        history_of(payment)
        == [("pending", "captured", "applied")] + [("captured", "captured", "ignored")] * repeats
    )


def test_razorpay_checkout_verified_through_the_api(staff, bill):
    order = create_order(staff, bill, "razorpay")
    assert order["key_id"] == "rzp_test_SkinspDemo0001"
    assert order["order_id"].startswith("order_")
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    assert (payment.status, payment.gateway_order_id) == ("pending", order["order_id"])

    fields = pay_razorpay(order)
    body = {"payment_id": order["payment_id"], "gateway_order_id": fields["razorpay_order_id"],
            "gateway_payment_id": fields["razorpay_payment_id"], "signature": fields["razorpay_signature"]}  # fmt: skip
    verified = e2e.patient_browser().post(
        "/api/patient-payment/verify", body, content_type="application/json"
    )
    again = e2e.patient_browser().post("/api/patient-payment/verify", body, content_type="application/json")

    assert (verified.status_code, verified.json()["status"]) == (200, "captured")
    assert (again.status_code, again.json()["status"]) == (200, "captured")
    assert verified.json()["gateway_payment_id"] == fields["razorpay_payment_id"]
    assert (verified.json()["fee"], verified.json()["tax"]) == ("35.40", "5.40")
    assert_paid_once(payment, bill, "razorpay", repeats=1)


def test_paytm_checkout_returns_to_our_page_with_its_signed_form(staff, bill, client):
    order = create_order(staff, bill, "paytm")
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    assert order["key_id"] == "SKNSPR00000000000001"
    assert order["order_id"] == payment.reference == payment.gateway_order_id

    form = pay_paytm(order)
    assert "CHECKSUMHASH" in form
    landed = client.post(f"/pay/checkout/{payment.reference}/return", form)

    assert landed.status_code == 200
    assert "Payment received" in landed.content.decode()
    assert "₹1,500.00" in landed.content.decode()
    assert_paid_once(payment, bill, "paytm")
    assert payment.gateway_payment_id == form["TXNID"]


def test_paytm_through_the_verify_api_with_the_callback_form(staff, bill):
    order = create_order(staff, bill, "paytm")
    form = pay_paytm(order)
    body = {"payment_id": order["payment_id"], "gateway_order_id": form["ORDERID"],
            "gateway_payment_id": form["TXNID"], "signature": form["CHECKSUMHASH"], "callback": form}  # fmt: skip

    response = e2e.patient_browser().post(
        "/api/patient-payment/verify", body, content_type="application/json"
    )

    assert (response.status_code, response.json()["status"]) == (200, "captured")
    assert_paid_once(PatientPayment.objects.get(pk=order["payment_id"]), bill, "paytm")


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_tampered_callback_is_refused_recorded_and_never_captured(staff, bill, provider):
    order = create_order(staff, bill, provider)
    if provider == "razorpay":
        fields = pay_razorpay(order)
        body = {"payment_id": order["payment_id"], "gateway_order_id": order["order_id"],
                "gateway_payment_id": fields["razorpay_payment_id"],
                "signature": fields["razorpay_signature"][:-4] + "0000"}  # fmt: skip
    else:
        form = pay_paytm(order)
        tampered = {**form, "TXNAMOUNT": "1.00"}
        body = {"payment_id": order["payment_id"], "gateway_order_id": form["ORDERID"],
                "gateway_payment_id": form["TXNID"], "signature": form["CHECKSUMHASH"], "callback": tampered}  # fmt: skip

    response = e2e.patient_browser().post(
        "/api/patient-payment/verify", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["message"].startswith("The payment's signature does not match")
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    bill.refresh_from_db()
    assert payment.status == "pending"
    assert (bill.amount_paid, bill.status) == (Decimal("0"), "unpaid")
    assert JournalEntry.objects.count() == 0
    refused = AuditEntry.objects.get(action="patient_payment.verify_refused")
    assert refused.object_id == str(payment.pk)


def test_a_callback_for_another_order_is_refused(staff, bill):
    # The second asks for what the first leaves open (an order being paid counts against the bill).
    first, second = create_order(staff, bill, "razorpay"), create_order(staff, bill, "razorpay", "1000.00")
    fields = pay_razorpay(first)
    body = {"payment_id": second["payment_id"], "gateway_order_id": fields["razorpay_order_id"],
            "gateway_payment_id": fields["razorpay_payment_id"], "signature": fields["razorpay_signature"]}  # fmt: skip

    response = e2e.patient_browser().post(
        "/api/patient-payment/verify", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert PatientPayment.objects.get(pk=second["payment_id"]).status == "pending"


def test_an_only_authorized_payment_is_captured_by_verify(staff, bill):
    order = create_order(staff, bill, "razorpay")
    sandbox_order = SandboxObject.objects.get(entity="order", object_id=order["order_id"])
    sandbox_order.meta["auto_capture"] = False
    sandbox_order.save(update_fields=["meta"])
    fields = pay_razorpay(order)
    body = {"payment_id": order["payment_id"], "gateway_order_id": fields["razorpay_order_id"],
            "gateway_payment_id": fields["razorpay_payment_id"], "signature": fields["razorpay_signature"]}  # fmt: skip

    response = e2e.patient_browser().post(
        "/api/patient-payment/verify", body, content_type="application/json"
    )

    assert (response.status_code, response.json()["status"]) == (200, "captured")
    captured = SandboxObject.objects.get(entity="payment", object_id=fields["razorpay_payment_id"])
    assert captured.body["status"] == "captured"
    assert_paid_once(PatientPayment.objects.get(pk=order["payment_id"]), bill, "razorpay")


def test_a_failed_upi_payment_marks_the_payment_failed_and_the_bill_stays_open(staff, bill, client):
    order = create_order(staff, bill, "paytm")
    form = pay_paytm(order, outcome="failure")
    payment = PatientPayment.objects.get(pk=order["payment_id"])

    landed = client.post(f"/pay/checkout/{payment.reference}/return", form)

    assert landed.status_code == 200
    assert "did not go through" in landed.content.decode()
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert payment.status == "failed"
    assert (bill.amount_paid, bill.status) == (Decimal("0"), "unpaid")
    assert JournalEntry.objects.count() == 0


def test_razorpay_hosted_checkout_returns_to_our_page(staff, bill, client):
    order = create_order(staff, bill, "razorpay")
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    assert order["checkout"]["callback_url"] == f"http://testserver/pay/checkout/{payment.reference}/return"

    fields = pay_razorpay(order)  # what the gateway's page makes the browser POST to callback_url
    landed = client.post(f"/pay/checkout/{payment.reference}/return", fields)

    assert landed.status_code == 200
    assert "Payment received" in landed.content.decode()
    assert_paid_once(payment, bill, "razorpay")
