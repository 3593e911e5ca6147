"""The patient's return pages are rate-limited where a real patient never goes: returns that
fail (unknown, or not verified) per client address, and verified returns per payment or link
(each asks the gateway). A 429 page in the site's layout; beyond a limit nothing is written
and the gateway is not asked. Paytm's server posting many links' callbacks from one address,
a patient whose address someone else exhausted, and a patient whose signed return someone
replays (a repeat is answered from what we hold, and counts nothing) are not refused.

The sandbox gateway answers in-process; the windows are clock minutes, so the clock is held
halfway through one (four requests straddling a minute's end would see two windows)."""

import hashlib
import hmac
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client

from skinspire.collections import pages
from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.collections.tests.factories import BillFactory
from skinspire.collections.tests.test_link_return_names_its_link import link_for, paid_on_gateway_page
from skinspire.core.models import AuditEntry
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.errors import GatewayError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.webhooks import counters
from skinspire.sandbox.models import SandboxWebhookDelivery
from tests.collections_support import create_order, pay_razorpay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_gateways")]

PATIENT, NEIGHBOUR, PAYTM_SERVER = "203.0.113.7", "203.0.113.8", "198.51.100.20"


@pytest.fixture(autouse=True)
def limits(settings, monkeypatch):
    settings.PATIENT_RETURN_FAILURES_PER_MINUTE = 3
    settings.PATIENT_RETURN_VERIFIED_PER_MINUTE = 2
    monkeypatch.setattr(counters.time, "time", lambda: 1000 * 60 + 30.0)


def checkout_order(client_as, branch) -> dict:
    bill = BillFactory(branch=branch, amount=Decimal("2500.00"))
    return create_order(client_as("payments"), bill, "razorpay")


def forged(order: dict) -> dict[str, str]:
    return {"razorpay_payment_id": "pay_Forged00000001", "razorpay_order_id": order["order_id"],
            "razorpay_signature": "0" * 64}  # fmt: skip


def post_return(reference: str, form: dict, address: str = PATIENT):
    return Client(REMOTE_ADDR=address).post(f"/pay/checkout/{reference}/return", form)


def assert_too_many(response) -> None:
    html = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "<h1>Please wait a minute</h1>" in html
    assert "Please do not pay again" in html
    assert '<link rel="stylesheet" href="/static/skinspire/site.css">' in html  # the site's layout
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_bad_checkout_signatures_from_one_address_are_429_beyond_the_limit_and_not_recorded(
    client_as, branch
):
    order = checkout_order(client_as, branch)
    reference = PatientPayment.objects.get(pk=order["payment_id"]).reference

    answers = [post_return(reference, forged(order)) for _ in range(5)]

    assert [answer.status_code for answer in answers] == [400, 400, 400, 429, 429]
    assert "We could not confirm this payment" in answers[2].content.decode()
    assert_too_many(answers[4])
    assert AuditEntry.objects.filter(action="patient_payment.verify_refused").count() == 3
    assert PatientPayment.objects.get(pk=order["payment_id"]).status == "pending"


def test_unknown_references_and_tokens_count_as_failures(client_as, branch):
    browser = Client(REMOTE_ADDR=PATIENT)
    answers = [browser.post(f"/pay/checkout/PAY-NOSUCH{n}/return", {}).status_code for n in range(2)]
    answers += [browser.get(f"/pay/link/nosuchtoken{n}/return").status_code for n in range(2)]

    assert answers == [404, 404, 404, 429]
    # Another address is not held back by them.
    assert Client(REMOTE_ADDR=NEIGHBOUR).get("/pay/link/nosuchtoken/return").status_code == 404


def test_a_signed_checkout_return_passes_an_address_others_exhausted(client_as, branch):
    """Patients share addresses (a carrier's NAT, the hospital's Wi-Fi): a return that verifies
    is not refused for someone else's failures."""
    order = checkout_order(client_as, branch)
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    for _ in range(4):
        post_return(payment.reference, forged(order))

    landed = post_return(payment.reference, pay_razorpay(order))

    assert landed.status_code == 200
    assert "Payment received" in landed.content.decode()
    payment.refresh_from_db()
    assert payment.status == "captured"


def signed_by_the_gateway(payment: PatientPayment, gateway_payment_id: str) -> dict[str, str]:
    """A checkout return the gateway would sign for another attempt at the payment's order."""
    configuration = payment.configuration
    assert configuration is not None  # a checkout payment's
    secret = credentials_for(configuration).value("key_secret").encode()
    message = f"{payment.gateway_order_id}|{gateway_payment_id}".encode()
    return {"razorpay_payment_id": gateway_payment_id, "razorpay_order_id": payment.gateway_order_id,
            "razorpay_signature": hmac.new(secret, message, hashlib.sha256).hexdigest()}  # fmt: skip


def test_a_replayed_signed_checkout_return_is_answered_from_the_payment_and_spends_no_budget(
    client_as, branch
):
    """Someone replaying the patient's signed return (or the patient reloading it) is not a new
    question for the gateway: each repeat is answered from what we hold, so the patient's own
    return is never the 429 page. Returns with signatures not seen yet still count."""
    order = checkout_order(client_as, branch)
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    signed = pay_razorpay(order)
    landed = post_return(payment.reference, signed)
    calls = GatewayTransactionLog.objects.count()

    replayed = [post_return(payment.reference, signed, address=f"203.0.113.{n}") for n in range(10, 16)]

    assert landed.status_code == 200
    assert [answer.status_code for answer in replayed] == [200] * 6
    assert all("Payment received" in answer.content.decode() for answer in replayed)
    assert GatewayTransactionLog.objects.count() == calls
    # The budget (2 here) is the patient's one return so far: one new signature more is asked
    # about, the next is refused, and the gateway is not asked for it.
    other = post_return(payment.reference, signed_by_the_gateway(payment, "pay_Another0000001"))
    asked = GatewayTransactionLog.objects.count()
    refused = post_return(payment.reference, signed_by_the_gateway(payment, "pay_Another0000002"))
    assert other.status_code != 429 and asked > calls
    assert_too_many(refused)
    assert GatewayTransactionLog.objects.count() == asked
    # The same return again is still answered, from the payment.
    again = post_return(payment.reference, signed)
    assert (again.status_code, "Payment received" in again.content.decode()) == (200, True)
    payment.refresh_from_db()
    assert payment.status == "captured"


def test_a_return_the_gateway_did_not_answer_is_asked_about_again(client_as, branch, monkeypatch):
    order = checkout_order(client_as, branch)
    payment = PatientPayment.objects.get(pk=order["payment_id"])
    signed = pay_razorpay(order)
    answered = pages.patient_payment_checkout_return
    failures = iter([GatewayError("Razorpay did not answer.", provider="razorpay", provably_failed=False)])

    def once_unanswered(**kwargs):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return answered(**kwargs)

    monkeypatch.setattr(pages, "patient_payment_checkout_return", once_unanswered)

    first = post_return(payment.reference, signed)
    again = post_return(payment.reference, signed)

    assert first.status_code == 502
    assert (again.status_code, "Payment received" in again.content.decode()) == (200, True)
    payment.refresh_from_db()
    assert payment.status == "captured"


def test_a_replayed_signed_link_return_is_answered_from_the_link_and_spends_no_budget(client_as, branch):
    link = link_for(client_as, branch, "900.00")
    query = paid_on_gateway_page(link)
    landed = Client(REMOTE_ADDR=PATIENT).get(f"/pay/link/{link.token}/return?{query}")
    calls = GatewayTransactionLog.objects.count()

    replayed = [Client(REMOTE_ADDR=PATIENT).get(f"/pay/link/{link.token}/return?{query}") for _ in range(5)]

    assert landed.status_code == 200
    assert [answer.status_code for answer in replayed] == [200] * 5
    assert all("Payment received" in answer.content.decode() for answer in replayed)
    assert GatewayTransactionLog.objects.count() == calls
    assert PatientPayment.objects.filter(status="captured").count() == 1


def test_bad_link_returns_from_one_address_are_429_beyond_the_limit(client_as, branch):
    link = link_for(client_as, branch, "900.00")
    forged_query = f"razorpay_payment_link_id={link.gateway_link_id}&razorpay_signature={'0' * 64}"

    answers = [
        Client(REMOTE_ADDR=PATIENT).get(f"/pay/link/{link.token}/return?{forged_query}") for _ in range(4)
    ]

    assert [answer.status_code for answer in answers] == [400, 400, 400, 429]
    assert_too_many(answers[3])


def paid_on_paytms_page(link: PaymentLink) -> dict[str, str]:
    """The patient pays the link on the sandbox's Paytm page; the signed form Paytm's servers
    then post to the link's statusCallbackUrl (our return page), as the sandbox queued it."""
    url = urlsplit(link.gateway_url)
    paid = Client(HTTP_HOST=url.netloc).post(url.path, {"method": "upi", "outcome": "success"})
    assert paid.status_code == 200
    delivery = SandboxWebhookDelivery.objects.get(url__endswith=f"/pay/link/{link.token}/return")
    return dict(parse_qsl(delivery.body, keep_blank_values=True))


def test_paytms_server_posting_many_links_callbacks_from_one_address_is_not_refused(
    client_as, branch, hospital
):
    hospital.gateway_configurations.filter(provider="razorpay").update(is_active=False)
    links = [link_for(client_as, branch, f"{900 + n}.00") for n in range(5)]  # more than either limit
    forms = [paid_on_paytms_page(link) for link in links]

    answers = [
        Client(REMOTE_ADDR=PAYTM_SERVER).post(f"/pay/link/{link.token}/return", form)
        for link, form in zip(links, forms, strict=True)
    ]

    assert [answer.status_code for answer in answers] == [200] * 5
    assert all("Payment received" in answer.content.decode() for answer in answers)
    assert PatientPayment.objects.filter(status="captured").count() == 5


def test_paytms_callback_posted_again_even_respelt_is_answered_from_the_link(client_as, branch, hospital):
    """Paytm's CHECKSUMHASH is base64, read leniently: characters outside the alphabet are
    skipped, so the same signature can be spelt many ways. Each spelling is the same return."""
    hospital.gateway_configurations.filter(provider="razorpay").update(is_active=False)
    link = link_for(client_as, branch, "900.00")
    form = paid_on_paytms_page(link)
    landed = Client(REMOTE_ADDR=PAYTM_SERVER).post(f"/pay/link/{link.token}/return", form)
    calls = GatewayTransactionLog.objects.count()
    checksum = form["CHECKSUMHASH"]
    spellings = [form, *({**form, "CHECKSUMHASH": f"{checksum[:n]}!{checksum[n:]}"} for n in (5, 20, 40))]

    again = [
        Client(REMOTE_ADDR=PAYTM_SERVER).post(f"/pay/link/{link.token}/return", each) for each in spellings
    ]

    assert landed.status_code == 200
    assert [answer.status_code for answer in again] == [200] * 4
    assert all("Payment received" in answer.content.decode() for answer in again)
    assert GatewayTransactionLog.objects.count() == calls
