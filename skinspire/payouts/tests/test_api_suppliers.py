"""Suppliers, invoices, fee preview, retry and the gateway payouts switch over the API."""

import pytest
from rest_framework.test import APIClient

from skinspire.core.audit import AuditEntry
from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.tests.factories import UserFactory
from skinspire.payouts.models import Supplier, SupplierInvoice, SupplierPayment
from skinspire.payouts.services.policy import payout_policy_update
from skinspire.payouts.tests.factories import bank_account

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def staff(maker):
    return client_for(maker)


def test_suppliers_and_invoices(staff, supplier):
    created = staff.post(
        "/api/suppliers/", {"name": "Ortho Tools", "gstin": "29ABCDE1234F1Z5"}, format="json"
    )
    duplicate = staff.post("/api/suppliers/", {"name": "Ortho Tools"}, format="json")
    bad = staff.post("/api/suppliers/", {"name": "X", "gstin": "not-a-gstin"}, format="json")
    invoice = staff.post(
        f"/api/supplier/{supplier.pk}/invoices",
        {"number": "INV-1", "invoice_date": "2026-11-02", "amount": "999.50"},
        format="json",
    )
    listed = staff.get(f"/api/supplier/{supplier.pk}/invoices").json()

    assert (created.status_code, duplicate.status_code, bad.status_code) == (201, 409, 400)
    assert [row["name"] for row in staff.get("/api/suppliers/").json()["results"]] == [
        "Acme Surgicals",
        "Ortho Tools",
    ]
    assert invoice.status_code == 201
    assert listed == [
        {
            "id": invoice.json()["id"],
            "number": "INV-1",
            "invoice_date": "2026-11-02",
            "amount": "999.50",
            "amount_allocated": "0.00",
            "amount_paid": "0.00",
            "amount_open": "999.50",
            "status": "open",
        }
    ]
    assert Supplier.objects.count() == 2 and SupplierInvoice.objects.count() == 1


def test_fee_preview(configuration, staff):
    response = staff.post("/api/payouts/fee-preview", {"amount": "1000.00", "mode": "neft"}, format="json")
    too_small = staff.post("/api/payouts/fee-preview", {"amount": "1000.00", "mode": "rtgs"}, format="json")

    assert response.json() == {
        "gateway": "razorpay",
        "fee": "5.90",
        "gst": "0.90",
        "supplier_receives": "1000.00",
        "total_debit": "1005.90",
    }
    assert too_small.status_code == 400


def test_a_failed_payout_is_retried_once_as_a_new_payment(configuration, chart, supplier, staff, run_tasks):
    account = bank_account(supplier, account_number="50100012340000")  # the sandbox's bank rejects it
    created = run_tasks(
        lambda: staff.post(
            "/api/gateway/initiate-payout",
            {"supplier_id": supplier.pk, "account_id": account.pk, "amount": "300.00", "mode": "imps"},
            format="json",
        )
    ).json()
    failed = staff.get(f"/api/gateway/check-status/{created['id']}").json()
    assert failed["status"] == "failed"

    retry = run_tasks(lambda: staff.post(f"/api/payouts/payments/{created['id']}/retry"))
    again = staff.post(f"/api/payouts/payments/{created['id']}/retry")
    not_failed = staff.post(f"/api/payouts/payments/{retry.json()['id']}/retry")

    assert retry.status_code == 201 and retry.json()["id"] != created["id"]
    assert again.json()["id"] == retry.json()["id"]
    assert not_failed.status_code == 409
    assert SupplierPayment.objects.get(pk=retry.json()["id"]).retry_of_id == created["id"]
    assert SupplierPayment.objects.count() == 2


def test_gateway_payouts_switched_off_refuse_initiation_but_not_manual_payments(
    configuration, chart, hospital, branch, supplier, staff
):
    account = bank_account(supplier)
    payout_policy_update(hospital=hospital, actor=None, gateway_payouts_enabled=False)

    refused = staff.post(
        "/api/gateway/initiate-payout",
        {"supplier_id": supplier.pk, "account_id": account.pk, "amount": "300.00", "mode": "imps"},
        format="json",
    )
    manual = staff.post(
        "/api/payouts/payments/manual",
        {"supplier_id": supplier.pk, "amount": "300.00", "mode": "cash"},
        format="json",
    )

    assert refused.status_code == 409 and refused.json()["message"].startswith(
        "Gateway payouts are switched off"
    )
    assert manual.status_code == 201
    entry = AuditEntry.objects.get(action="payouts.policy.update")
    assert entry.changes == {"gateway_payouts_enabled": {"from": True, "to": False}}


def test_a_branch_can_be_switched_off_alone(configuration, chart, hospital, branch, supplier, maker):
    from skinspire.core.errors import ConflictError
    from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create

    payout_policy_update(hospital=hospital, actor=None, disabled_branches=[branch])
    account = bank_account(supplier)

    with pytest.raises(ConflictError, match=f"switched off for {branch.name}"):
        supplier_payment_create(
            request=PaymentRequest(
                supplier=supplier,
                account=account,
                amount="10.00",
                method="gateway_payout",
                mode="imps",
                branch=branch,
            ),
            maker=maker,
        )
    hospital_wide, _ = supplier_payment_create(
        request=PaymentRequest(
            supplier=supplier, account=account, amount="10.00", method="gateway_payout", mode="imps"
        ),
        maker=maker,
    )
    assert hospital_wide.status == "draft"


ENDPOINTS = {
    "suppliers": ("get", "/api/suppliers/", None, 200),
    "add-supplier": ("post", "/api/suppliers/", {"name": "New Co"}, 201),
    "invoices": ("get", "/api/supplier/{supplier}/invoices", None, 200),
    "add-invoice": (
        "post",
        "/api/supplier/{supplier}/invoices",
        {"number": "N-1", "invoice_date": "2026-11-01", "amount": "1.00"},
        201,
    ),
    "fee-preview": ("post", "/api/payouts/fee-preview", {"amount": "10.00", "mode": "imps"}, 200),
    "retry": ("post", "/api/payouts/payments/{payment}/retry", None, 409),  # a completed payment
}
READ = {"suppliers", "invoices"}
ALLOWED = {
    ROLE_PAYMENTS_STAFF: set(ENDPOINTS),
    ROLE_PAYMENT_APPROVER: READ,
    ROLE_ACCOUNTANT: READ,
    ROLE_GATEWAY_ADMIN: set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("role", list(ALLOWED))
def test_every_role_on_every_endpoint(
    configuration, chart, hospital, branch, supplier, maker, role, endpoint
):
    payment = (
        client_for(maker)
        .post(
            "/api/payouts/payments/manual",
            {"supplier_id": supplier.pk, "amount": "5.00", "mode": "cash"},
            format="json",
        )
        .json()
    )
    method, template, body, success = ENDPOINTS[endpoint]
    client = (
        APIClient()
        if role == "anonymous"
        else client_for(UserFactory(hospital=hospital, roles=[role], branches=[branch]))
    )

    response = getattr(client, method)(
        template.format(supplier=supplier.pk, payment=payment["id"]), body, format="json"
    )

    expected = success if endpoint in ALLOWED[role] else (401 if role == "anonymous" else 403)
    assert response.status_code == expected, response.content
