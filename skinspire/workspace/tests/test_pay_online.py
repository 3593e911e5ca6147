"""Pay online at the counter with configurations that point at the gateways' real hosts.

The real hosts cannot be reached from here, so `responses` answers the adapters' calls with
the gateways' documented shapes (tests/fixtures). What is checked is ours: the hand-over page
posts the documented form to the configured host (Razorpay Hosted Checkout, Paytm Show
Payment Page) under a CSP that lets forms reach that host and no other, and the gateway's
callback, signed as the official libraries sign it, completes the payment; tampered, it is
refused, recorded and nothing is captured.
"""

import hashlib
import hmac
import re
from decimal import Decimal
from html import unescape

import pytest
import razorpay
import responses
from paytmchecksum import PaytmChecksum

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.core.models import AuditEntry
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_paytm_support import signed_envelope
from skinspire.ledger.models import JournalEntry
from tests.offline_check import Crawl, PageParser, is_foreign

pytestmark = pytest.mark.django_db

RAZORPAY_HOST = "https://api.razorpay.com"
PAYTM_HOST = "https://securestage.paytmpayments.com"  # Paytm's official staging host
KEY_ID, KEY_SECRET = "rzp_test_RealHost00001", "real_host_key_secret_42"
MID, MERCHANT_KEY = "SKNREAL0000000000001", "RealHostKey16ch!"


@pytest.fixture
def bill(desk, chart):
    patient = PatientFactory(hospital=desk.hospital, name="Asha Verma", email="asha@patients.example",
                             phone="+919876543210")  # fmt: skip
    return BillFactory(branch=desk.main, patient=patient, number="OPD-7001", amount=Decimal("2500.00"))


def razorpay_at_its_host(desk):
    return GatewayConfigurationFactory(hospital=desk.hospital, base_url="", key_id=KEY_ID, is_default=True,
                                       razorpay_key_secret=KEY_SECRET)  # fmt: skip


def paytm_at_its_host(desk):
    return GatewayConfigurationFactory(paytm=True, hospital=desk.hospital, base_url=PAYTM_HOST, key_id=MID,
                                       paytm_merchant_key=MERCHANT_KEY, is_default=True)  # fmt: skip


def pay_online(client, desk, bill, amount="1500.00"):
    client.force_login(desk.people["payments"])
    return client.post(f"/workspace/bills/{bill.pk}/pay-online", {"amount": amount})


def handover_form(response) -> tuple[str, dict[str, str]]:
    html = response.content.decode()
    form = re.search(r'<form id="checkout-handover" method="post" action="([^"]+)".*?</form>', html, re.S)
    assert form is not None, html
    action = unescape(form.group(1))
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)))
    return action, {unescape(name): unescape(value) for name, value in fields.items()}


def form_action(response) -> str:
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return policy["form-action"]


@responses.activate
def test_razorpay_hosted_checkout_form_goes_to_razorpays_host_only(client, desk, bill):
    razorpay_at_its_host(desk)
    order = {"id": "order_RealHost000001", "entity": "order", "amount": 150000, "amount_paid": 0,
             "amount_due": 150000, "currency": "INR", "status": "created", "attempts": 0, "notes": {},
             "created_at": 1755693656}  # fmt: skip
    responses.post(f"{RAZORPAY_HOST}/v1/orders", json=order)

    response = pay_online(client, desk, bill)

    assert response.status_code == 200
    payment = PatientPayment.objects.get()
    action, fields = handover_form(response)
    assert action == f"{RAZORPAY_HOST}/v1/checkout/embedded"
    assert fields == {
        "key_id": KEY_ID,
        "order_id": "order_RealHost000001",
        "name": desk.hospital.name,
        "description": "Bill OPD-7001",
        "callback_url": f"http://testserver/pay/checkout/{payment.reference}/return",
        "cancel_url": f"http://testserver/pay/checkout/{payment.reference}/cancelled",
        "prefill[name]": "Asha Verma",
        "prefill[email]": "asha@patients.example",
        "prefill[contact]": "+919876543210",
    }
    assert form_action(response) == f"'self' {RAZORPAY_HOST}"
    assert '<script src="/static/collections/handover.js" defer>' in response.content.decode()
    assert (payment.status, payment.gateway_order_id, payment.amount) == (
        "pending", "order_RealHost000001", Decimal("1500.00"))  # fmt: skip
    # Every other page keeps forms on this site.
    assert form_action(client.get(f"/workspace/bills/{bill.pk}/")) == "'self'"


def razorpay_callback(payment_id: str, order_id: str) -> dict[str, str]:
    """What Razorpay's page POSTs to callback_url; signed as reference §4.1 says, and checked
    with the official SDK's own verifier."""
    message = f"{order_id}|{payment_id}".encode()
    signature = hmac.new(KEY_SECRET.encode(), message, hashlib.sha256).hexdigest()
    fields = {
        "razorpay_payment_id": payment_id,
        "razorpay_order_id": order_id,
        "razorpay_signature": signature,
    }
    assert razorpay.Client(auth=(KEY_ID, KEY_SECRET)).utility.verify_payment_signature(dict(fields)) is True
    return fields


@responses.activate
def test_razorpay_callback_signed_by_the_account_completes_the_payment(client, desk, bill):
    razorpay_at_its_host(desk)
    responses.post(f"{RAZORPAY_HOST}/v1/orders", json={"id": "order_RealHost000002", "entity": "order",
                   "amount": 150000, "currency": "INR", "status": "created"})  # fmt: skip
    pay_online(client, desk, bill)
    payment = PatientPayment.objects.get()
    responses.get(f"{RAZORPAY_HOST}/v1/payments/pay_RealHost000002", json={
        "id": "pay_RealHost000002", "entity": "payment", "amount": 150000, "currency": "INR",
        "status": "captured", "order_id": "order_RealHost000002", "method": "upi", "captured": True,
        "fee": 3540, "tax": 540, "created_at": 1755693700})  # fmt: skip

    landed = client.post(f"/pay/checkout/{payment.reference}/return",
                         razorpay_callback("pay_RealHost000002", "order_RealHost000002"))  # fmt: skip

    assert landed.status_code == 200
    assert "Payment received" in landed.content.decode()
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert (payment.status, payment.gateway_payment_id, payment.fee) == (
        "captured", "pay_RealHost000002", Decimal("35.40"))  # fmt: skip
    assert (bill.amount_paid, bill.status) == (Decimal("1500.00"), "partly_paid")


@responses.activate
def test_razorpay_tampered_callback_is_refused_recorded_and_not_captured(client, desk, bill):
    razorpay_at_its_host(desk)
    responses.post(f"{RAZORPAY_HOST}/v1/orders", json={"id": "order_RealHost000003", "entity": "order",
                   "amount": 150000, "currency": "INR", "status": "created"})  # fmt: skip
    pay_online(client, desk, bill)
    payment = PatientPayment.objects.get()
    forged = razorpay_callback("pay_RealHost000003", "order_RealHost000003")
    forged["razorpay_payment_id"] = "pay_SomeoneElses01"  # signed for another payment

    landed = client.post(f"/pay/checkout/{payment.reference}/return", forged)

    assert landed.status_code == 400
    assert "We could not confirm this payment" in landed.content.decode()
    assert payment.reference in landed.content.decode()  # what to quote at the counter
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert JournalEntry.objects.count() == 0
    assert AuditEntry.objects.get(action="patient_payment.verify_refused").object_id == str(payment.pk)
    assert [call.request.method for call in responses.calls] == ["POST"]  # the gateway was never asked


def paytm_initiated() -> str:
    body = {"resultInfo": {"resultStatus": "S", "resultCode": "0000", "resultMsg": "Success"},
            "txnToken": "f0bed899539742309eebd8XXXX7edcf61588842333227", "isPromoCodeValid": False,
            "authenticated": False}  # fmt: skip
    return signed_envelope(body, key=MERCHANT_KEY)


def paytm_callback(payment: PatientPayment, *, amount: str = "1500.00") -> dict[str, str]:
    """Paytm's callback form (fixture pg_payment_status_form_success), CHECKSUMHASH made by paytmchecksum."""
    fields = {"ORDERID": payment.reference, "MID": MID, "TXNID": "20260101111212800110168470101509706",
              "TXNAMOUNT": amount, "PAYMENTMODE": "UPI", "CURRENCY": "INR", "TXNDATE": "2026-01-01 15:13:02.0",
              "STATUS": "TXN_SUCCESS", "RESPCODE": "01", "RESPMSG": "Txn Success", "GATEWAYNAME": "PPBL",
              "BANKTXNID": "62909899", "BANKNAME": "PPBL"}  # fmt: skip
    return {**fields, "CHECKSUMHASH": PaytmChecksum.generateSignature(fields, MERCHANT_KEY)}


@responses.activate
def test_paytm_show_payment_page_form_and_its_signed_callback(client, desk, bill):
    paytm_at_its_host(desk)
    responses.post(f"{PAYTM_HOST}/theia/api/v1/initiateTransaction", body=paytm_initiated())

    response = pay_online(client, desk, bill)

    payment = PatientPayment.objects.get()
    action, fields = handover_form(response)
    assert action == f"{PAYTM_HOST}/theia/api/v1/showPaymentPage?mid={MID}&orderId={payment.reference}"
    assert fields == {"mid": MID, "orderId": payment.reference,
                      "txnToken": "f0bed899539742309eebd8XXXX7edcf61588842333227"}  # fmt: skip
    assert form_action(response) == f"'self' {PAYTM_HOST}"

    status = {"resultInfo": {"resultStatus": "TXN_SUCCESS", "resultCode": "01", "resultMsg": "Txn Success"},
              "txnId": "20260101111212800110168470101509706", "bankTxnId": "62909899",
              "orderId": payment.reference, "txnAmount": "1500.00", "txnType": "SALE", "mid": MID,
              "paymentMode": "UPI", "refundAmt": "0.00", "txnDate": "2026-01-01 15:13:02.0"}  # fmt: skip
    responses.post(f"{PAYTM_HOST}/v3/order/status", body=signed_envelope(status, key=MERCHANT_KEY))
    landed = client.post(f"/pay/checkout/{payment.reference}/return", paytm_callback(payment))

    assert landed.status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_payment_id) == ("captured", "20260101111212800110168470101509706")


@responses.activate
def test_paytm_tampered_callback_is_refused(client, desk, bill):
    paytm_at_its_host(desk)
    responses.post(f"{PAYTM_HOST}/theia/api/v1/initiateTransaction", body=paytm_initiated())
    pay_online(client, desk, bill)
    payment = PatientPayment.objects.get()

    tampered = {**paytm_callback(payment), "TXNAMOUNT": "1.00"}
    landed = client.post(f"/pay/checkout/{payment.reference}/return", tampered)

    assert landed.status_code == 400
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert AuditEntry.objects.filter(action="patient_payment.verify_refused").count() == 1


def test_razorpay_failure_callback_says_so_and_moves_nothing(client, desk, bill, gateway):
    """Razorpay's failed-payment callback is unsigned error[...] fields: shown, not trusted."""
    payment = PatientPayment.objects.create(
        hospital=desk.hospital, branch=bill.branch, bill=bill, amount=Decimal("100.00"), category="gateway",
        source="razorpay", configuration=gateway, gateway_order_id="order_Failed0000001")  # fmt: skip

    landed = client.post(f"/pay/checkout/{payment.reference}/return",
                         {"error[code]": "BAD_REQUEST_ERROR", "error[description]": "Payment failed"})  # fmt: skip

    assert landed.status_code == 200
    assert "The payment did not go through" in landed.content.decode()
    assert "Payment failed" not in landed.content.decode()  # unsigned text is not echoed
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert AuditEntry.objects.filter(action="patient_payment.verify_refused").count() == 0


def test_cancelled_on_the_gateways_page(client, desk, bill, gateway):
    payment = PatientPayment.objects.create(
        hospital=desk.hospital, branch=bill.branch, bill=bill, amount=Decimal("100.00"), category="gateway",
        source="razorpay", configuration=gateway, gateway_order_id="order_Cancel0000001")  # fmt: skip

    page = client.get(f"/pay/checkout/{payment.reference}/cancelled")

    assert (page.status_code, "Payment cancelled" in page.content.decode()) == (200, True)
    assert client.get("/pay/checkout/NOSUCHREF/cancelled").status_code == 404


@pytest.mark.parametrize(("person", "status"), [("accountant", 403), ("approver", 403)])
def test_only_payments_staff_start_a_payment(client, desk, bill, person, status):
    client.force_login(desk.people[person])
    assert client.post(f"/workspace/bills/{bill.pk}/pay-online", {}).status_code == status
    assert PatientPayment.objects.count() == 0


def test_bad_amount_and_another_hospitals_bill(client, desk, bill, gateway):
    client.force_login(desk.people["payments"])
    too_much = client.post(f"/workspace/bills/{bill.pk}/pay-online", {"amount": "9999.00"})
    not_a_number = client.post(f"/workspace/bills/{bill.pk}/pay-online", {"amount": "lots"})
    elsewhere = BillFactory()

    assert too_much.status_code == 400
    assert "at most ₹2,500.00" in too_much.content.decode()
    assert not_a_number.status_code == 400
    assert client.post(f"/workspace/bills/{elsewhere.pk}/pay-online", {}).status_code == 404
    assert client.get(f"/workspace/bills/{bill.pk}/pay-online").status_code == 405
    assert PatientPayment.objects.count() == 0


def test_no_gateway_configured_says_so_and_takes_nothing(client, desk, bill):
    response = pay_online(client, desk, bill)

    assert response.status_code == 400
    assert "The online payment was not started" in response.content.decode()
    assert "No active gateway that can do collections is configured" in response.content.decode()
    assert PatientPayment.objects.count() == 0


@responses.activate
def test_gateway_down_is_a_502_page_and_the_payment_is_kept_for_the_status_sync(client, desk, bill):
    """A 503 does not prove that no order was made: the payment stays pending, and the status
    sync looks its order up by our reference (services/order_recovery.py)."""
    razorpay_at_its_host(desk)
    responses.post(f"{RAZORPAY_HOST}/v1/orders", status=503, body="<html>Service Unavailable</html>")

    response = pay_online(client, desk, bill)

    assert response.status_code == 502
    assert "Nothing was charged" in response.content.decode()
    assert (PatientPayment.objects.get().status, PatientPayment.objects.get().gateway_order_id) == (
        "pending",
        "",
    )


@responses.activate
def test_the_hand_over_page_loads_nothing_from_another_host(client, desk, bill):
    """Its one reference to the gateway is the form's target; its script and style sheets are
    this site's (tests/offline_check.py, as the site crawl scans pages)."""
    razorpay_at_its_host(desk)
    order = {"id": "order_RealHost000002", "entity": "order", "amount": 150000, "amount_paid": 0,
             "amount_due": 150000, "currency": "INR", "status": "created", "attempts": 0, "notes": {},
             "created_at": 1755693656}  # fmt: skip
    responses.post(f"{RAZORPAY_HOST}/v1/orders", json=order)
    response = pay_online(client, desk, bill)
    parser = PageParser()

    parser.feed(response.content.decode())

    foreign = [(what, value) for what, value in parser.references if is_foreign(value)]
    assert foreign == [("<form action>", f"{RAZORPAY_HOST}/v1/checkout/embedded")]
    crawl = Crawl(client)
    for kind, resource in parser.resources:
        crawl.scan_file(resource, kind=kind)
    assert crawl.findings == []
    assert parser.resources  # the hand-over script and the site's styles were scanned


def test_the_scope_switch_on_a_page_drawn_for_a_post_goes_back_to_the_page_before(client, desk, bill):
    """The pay-online URL answers only POST: switching the branch from its page must not
    land on a 405, but on the bill the form was sent from."""
    client.force_login(desk.people["payments"])
    bill_page = f"http://testserver/workspace/bills/{bill.pk}/"

    page = client.post(f"/workspace/bills/{bill.pk}/pay-online", {"amount": "1.00"}, HTTP_REFERER=bill_page)
    back = re.search(r'<input type="hidden" name="next" value="([^"]*)">', page.content.decode())
    assert back is not None
    switched = client.post(
        "/workspace/scope/", {"scope": f"{desk.hospital.pk}:", "next": unescape(back.group(1))}
    )

    assert page.status_code == 400  # no gateway configured: the refusal page, drawn for the POST
    assert unescape(back.group(1)) == bill_page
    assert switched.status_code == 302
    assert switched["Location"] == bill_page
    assert client.get(switched["Location"]).status_code == 200
