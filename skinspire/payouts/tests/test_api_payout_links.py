"""`POST /api/gateway/create-payment-link` with a supplier, `/resend-link` and `/cancel`:
roles, tenancy, idempotency, approvals, and bad input answered 4xx with nothing written."""

import smtplib
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from skinspire.core.models import AuditEntry
from skinspire.core.roles import ROLE_ACCOUNTANT, ROLE_PAYMENT_APPROVER, ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import HospitalFactory, UserFactory
from skinspire.gateways.tests.factories import EVERY_CAPABILITY, GatewayConfigurationFactory
from skinspire.payouts.models import PayoutPolicy, SupplierInvoice, SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory
from skinspire.sandbox.models import SandboxObject

pytestmark = pytest.mark.django_db

URL = "/api/gateway/create-payment-link"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def staff(maker):
    return client_for(maker)


@pytest.fixture
def invoice(supplier):
    return SupplierInvoiceFactory(supplier=supplier, number="L-1", amount=Decimal("4000.00"))


def body(supplier, invoice=None, **extra) -> dict:
    shares = [{"invoice_id": invoice.pk, "amount": "4000.00"}] if invoice else []
    return {"supplier_id": supplier.pk, "amount": "4000.00", "invoices": shares, "expire_in_hours": 48,
            "notify": ["email"], **extra}  # fmt: skip


def test_a_supplier_body_makes_a_payout_link(configuration, supplier, invoice, staff, run_tasks):
    response = run_tasks(
        lambda: staff.post(URL, body(supplier, invoice, idempotency_key="pl-1"), format="json")
    )

    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["method"], answer["mode"], answer["amount"]) == (
        "payout_link",
        "supplier_choice",
        "4000.00",
    )
    assert answer["status"] == "approved"  # answered before the task issued the link
    payment = SupplierPayment.objects.get(pk=answer["id"])
    assert (payment.status, payment.payout_link_status, payment.link_send_email) == (
        "processing",
        "issued",
        True,
    )
    detail = staff.get(f"/api/payouts/payments/{payment.pk}").json()
    assert detail["payout_link_url"] == payment.payout_link_url
    assert detail["payout_link_status"] == "issued"
    again = staff.post(URL, body(supplier, invoice, idempotency_key="pl-1"), format="json")
    assert (again.status_code, again.json()["id"], again.json()["url"]) == (
        200,
        payment.pk,
        payment.payout_link_url,
    )
    assert SandboxObject.objects.filter(entity="payout_link").count() == 1


def test_above_the_threshold_the_link_waits_for_an_approver(
    configuration, supplier, approver, staff, run_tasks
):
    PayoutPolicy.objects.create(hospital=supplier.hospital, approval_threshold=Decimal("1000.00"))
    answer = staff.post(URL, body(supplier), format="json").json()
    assert answer["status"] == "pending_approval"
    assert not SandboxObject.objects.filter(entity="payout_link").exists()

    approved = run_tasks(lambda: client_for(approver).post(f"/api/payouts/payments/{answer['id']}/approve"))

    assert approved.status_code == 200
    assert SupplierPayment.objects.get(pk=answer["id"]).payout_link_status == "issued"


def test_a_bill_body_still_makes_a_patient_link_and_neither_is_a_400(staff):
    neither = staff.post(URL, {"amount": "10.00"}, format="json")
    both = staff.post(URL, {"bill_id": 1, "supplier_id": 1}, format="json")
    bill = staff.post(URL, {"bill_id": 999999, "expire_in_hours": 24}, format="json")

    assert neither.status_code == 400
    assert set(neither.json()["extra"]["fields"]) == {"bill_id", "supplier_id"}
    assert both.status_code == 400 and "not both" in both.json()["extra"]["fields"]["supplier_id"][0]
    assert bill.status_code == 404  # the collections view answered: no such bill here
    assert not SupplierPayment.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"amount": "0.001"}, "amount"),
        ({"amount": "-5.00"}, "amount"),
        ({"expire_in_hours": 5}, "expire_in_hours"),
        ({"notify": ["fax"]}, "notify"),
        ({"supplier_id": "x"}, "supplier_id"),
        ({"provider": "stripe"}, "provider"),
        ({"invoices": [{"invoice_id": 1}]}, "invoices"),
        ({"description": "d" * 201}, "description"),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(configuration, supplier, staff, change, field):
    response = staff.post(URL, {**body(supplier), **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]
    assert not SupplierPayment.objects.exists()


def test_more_than_the_invoice_has_open_is_refused(configuration, supplier, invoice, staff):
    response = staff.post(URL, body(supplier, invoice, amount="5000.00", invoices=[
        {"invoice_id": invoice.pk, "amount": "5000.00"}]), format="json")  # fmt: skip

    assert response.status_code in (400, 409)
    assert not SupplierPayment.objects.exists()
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("0.00")


def test_a_supplier_with_no_way_to_reach_them_is_refused(configuration, hospital, staff):
    unreachable = SupplierFactory(hospital=hospital, email="", phone="")
    no_phone = SupplierFactory(hospital=hospital, phone="")

    first = staff.post(URL, body(unreachable), format="json")
    second = staff.post(URL, body(no_phone, notify=["sms"]), format="json")

    assert (first.status_code, second.status_code) == (400, 400)
    assert "no e-mail address or phone" in first.json()["message"]
    assert not SupplierPayment.objects.exists()


def test_a_gateway_without_payout_links_is_refused_clearly(hospital, supplier, staff):
    # Paytm Payouts has no payout-link API: even a configuration row claiming the capability
    # is not offered one.
    GatewayConfigurationFactory(hospital=hospital, paytm=True, is_default=True, capabilities=EVERY_CAPABILITY)

    response = staff.post(URL, body(supplier), format="json")

    assert response.status_code == 400
    assert "Paytm Payouts has no payout-link API" in response.json()["message"]
    assert not SupplierPayment.objects.exists()


def test_only_payments_staff_of_the_hospital_may_make_links(configuration, hospital, branch, supplier):
    accountant = UserFactory(hospital=hospital, roles=[ROLE_ACCOUNTANT], branches=[branch])
    approver = UserFactory(hospital=hospital, roles=[ROLE_PAYMENT_APPROVER], branches=[branch])
    elsewhere = UserFactory(hospital=HospitalFactory(), roles=[ROLE_PAYMENTS_STAFF])

    assert client_for(accountant).post(URL, body(supplier), format="json").status_code == 403
    assert client_for(approver).post(URL, body(supplier), format="json").status_code == 403
    assert client_for(elsewhere).post(URL, body(supplier), format="json").status_code == 404
    assert APIClient().post(URL, body(supplier), format="json").status_code in (401, 403)
    assert not SupplierPayment.objects.exists()


def _issued(staff, supplier, run_tasks, **extra) -> SupplierPayment:
    answer = run_tasks(lambda: staff.post(URL, body(supplier, **extra), format="json")).json()
    return SupplierPayment.objects.get(pk=answer["id"])


def test_resend_e_mails_the_issued_link(configuration, supplier, staff, run_tasks):
    payment = _issued(staff, supplier, run_tasks)

    response = staff.post(f"/api/payouts/payments/{payment.pk}/resend-link")

    assert response.status_code == 200
    assert response.json()["channels"] == ["email"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [supplier.email]
    assert payment.payout_link_url in mail.outbox[0].body


def test_the_resent_e_mail_gives_the_links_end_in_india_time(configuration, supplier, staff, run_tasks):
    """The template printed the time in the site's zone (India) and called it UTC."""
    from django.utils import timezone

    payment = _issued(staff, supplier, run_tasks)
    local = timezone.localtime(payment.payout_link_expires_at)

    staff.post(f"/api/payouts/payments/{payment.pk}/resend-link")

    assert f"The link is valid until {local:%-d %b %Y, %H:%M} India time." in mail.outbox[0].body
    assert "UTC" not in mail.outbox[0].body


def test_resend_is_refused_once_claimed_or_without_an_address(
    configuration, chart, hospital, supplier, staff, run_tasks, sms_outbox
):
    payment = _issued(staff, supplier, run_tasks)
    run_tasks(lambda: Client().post(payment.payout_link_url.removeprefix("http://sandbox.testserver"),
                                    {"account_type": "vpa", "vpa": "acme@okhdfc"}))  # fmt: skip
    checked = run_tasks(lambda: staff.get(f"/api/gateway/check-status/{payment.pk}"))
    assert checked.status_code == 200, checked.json()
    # A link needs an address to be made (payout_link_checks.py); both removed since.
    gone = SupplierFactory(hospital=hospital)
    unreachable = _issued(staff, gone, run_tasks)
    gone.email = gone.phone = ""
    gone.save(update_fields=["email", "phone"])

    claimed = staff.post(f"/api/payouts/payments/{payment.pk}/resend-link")
    no_address = staff.post(f"/api/payouts/payments/{unreachable.pk}/resend-link")

    assert claimed.status_code == 409
    assert no_address.status_code == 400
    assert no_address.json()["extra"] == {"fields": {"supplier_id": ["no_contact"]}}
    assert (mail.outbox, sms_outbox) == ([], [])


def test_resend_texts_a_link_sent_by_sms(configuration, hospital, staff, run_tasks, sms_outbox):
    phone_only = SupplierFactory(hospital=hospital, email="", phone="9812345678")
    payment = _issued(staff, phone_only, run_tasks, notify=["sms"])

    response = staff.post(f"/api/payouts/payments/{payment.pk}/resend-link")

    assert response.status_code == 200, response.json()
    assert response.json()["channels"] == ["sms"]
    assert mail.outbox == []
    assert [message.to for message in sms_outbox] == ["9812345678"]
    assert sms_outbox[0].text == (
        f"{hospital} is paying you ₹4,000.00 ({payment.reference}). Choose your account at {payment.payout_link_url}"
    )


@pytest.mark.parametrize(
    ("notify", "email", "phone", "channels"),
    [
        (["email", "sms"], "a@acme.example", "9812345678", ["email", "sms"]),
        (["email", "sms"], "", "9812345678", ["sms"]),  # e-mail address removed since: SMS only
        (["email"], "a@acme.example", "9812345678", ["email"]),  # as the link was first sent
        ([], "a@acme.example", "9812345678", ["email", "sms"]),  # sent by neither: every address
    ],
)
def test_resend_goes_by_the_links_channels_where_there_is_an_address(
    configuration, hospital, staff, run_tasks, sms_outbox, notify, email, phone, channels
):
    supplier = SupplierFactory(hospital=hospital, email="a@acme.example", phone=phone)
    payment = _issued(staff, supplier, run_tasks, notify=notify)
    supplier.email = email
    supplier.save(update_fields=["email"])

    response = staff.post(f"/api/payouts/payments/{payment.pk}/resend-link")

    assert (response.status_code, response.json()["channels"]) == (200, channels)
    assert [message.to for message in mail.outbox] == ([[email]] if "email" in channels else [])
    assert [message.to for message in sms_outbox] == ([phone] if "sms" in channels else [])


def test_resend_and_cancel_are_for_payments_staff(
    configuration, hospital, branch, supplier, staff, run_tasks
):
    payment = _issued(staff, supplier, run_tasks)
    accountant = client_for(UserFactory(hospital=hospital, roles=[ROLE_ACCOUNTANT], branches=[branch]))

    assert accountant.post(f"/api/payouts/payments/{payment.pk}/resend-link").status_code == 403
    assert accountant.post(f"/api/payouts/payments/{payment.pk}/cancel", {"reason": "x"}).status_code == 403
    assert staff.post("/api/payouts/payments/999999/resend-link").status_code == 404


def test_cancel_through_the_api_cancels_the_link_at_the_gateway(configuration, supplier, staff, run_tasks):
    payment = _issued(staff, supplier, run_tasks)

    response = staff.post(
        f"/api/payouts/payments/{payment.pk}/cancel", {"reason": "Wrong amount"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["payout_link_status"]) == ("cancelled", "cancelled")
    assert SandboxObject.objects.get(object_id=payment.payout_link_id).body["status"] == "cancelled"
    assert staff.post(f"/api/payouts/payments/{payment.pk}/cancel", {"reason": "again"}).status_code == 409


def test_the_schema_shows_both_bodies_with_examples(staff):
    schema = staff.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/gateway/create-payment-link"]["post"]
    content = operation["requestBody"]["content"]["application/json"]

    assert {ref["$ref"].rsplit("/", 1)[1] for ref in schema["components"]["schemas"]["CreatePaymentLinkRequest"]["oneOf"]} == {
        "PaymentLinkCreateInputRequest", "PayoutLinkInputRequest"}  # fmt: skip
    assert set(content["examples"]) == {"PatientPaymentLink", "SupplierPayoutLink"}
    assert "/api/payouts/payments/{payment_id}/resend-link" in schema["paths"]


def test_a_mail_server_that_fails_is_a_503_that_says_so(
    configuration, supplier, staff, run_tasks, monkeypatch
):
    payment = _issued(staff, supplier, run_tasks)

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    response = staff.post(f"/api/payouts/payments/{payment.pk}/resend-link")

    assert response.status_code == 503
    assert response.json()["message"].startswith("The e-mail could not be sent")
    assert not AuditEntry.objects.filter(action="payouts.payment.link_resend").exists()


def test_sending_a_link_again_is_limited_to_five_a_minute(configuration, supplier, staff, run_tasks):
    payment = _issued(staff, supplier, run_tasks)

    answers = [staff.post(f"/api/payouts/payments/{payment.pk}/resend-link").status_code for _ in range(6)]

    assert answers == [200] * 5 + [429]
    assert len(mail.outbox) == 5


def test_only_payments_staff_see_a_links_address(configuration, supplier, staff, approver, run_tasks, client):
    """Whoever holds the address can claim the money: approvers and accountants see that a
    link exists and its status, in the API and in admin, but not where it is."""
    payment = _issued(staff, supplier, run_tasks)
    accountant = UserFactory(hospital=payment.hospital, roles=[ROLE_ACCOUNTANT])

    assert (
        staff.get(f"/api/payouts/payments/{payment.pk}").json()["payout_link_url"] == payment.payout_link_url
    )
    for reader in (approver, accountant):
        detail = client_for(reader).get(f"/api/payouts/payments/{payment.pk}").json()
        assert (detail["payout_link_url"], detail["payout_link_status"]) == ("", "issued")
        listed = client_for(reader).get("/api/payouts/payments/").json()["results"]
        assert [row["payout_link_url"] for row in listed] == [""]
        client.force_login(reader)
        admin_page = client.get(f"/admin/payouts/supplierpayment/{payment.pk}/change/")
        assert admin_page.status_code == 200
        assert payment.payout_link_url not in admin_page.content.decode()
        assert "(shown to Payments staff only)" in admin_page.content.decode()
