"""The payouts API: initiate, idempotency, approvals, check-status, list/detail, accounts."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.tests.factories import HospitalFactory, UserFactory
from skinspire.payouts.models import PayoutPolicy, SupplierAccount, SupplierPayment
from skinspire.payouts.tests.factories import (
    SupplierFactory,
    SupplierInvoiceFactory,
    bank_account,
    upi_account,
)
from skinspire.sandbox.models import SandboxObject

pytestmark = pytest.mark.django_db

NUMBER = "50100012345678"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def staff(maker):
    return client_for(maker)


@pytest.fixture
def account(supplier):
    return bank_account(supplier, account_number=NUMBER)


@pytest.fixture
def invoices(supplier):
    return [
        SupplierInvoiceFactory(supplier=supplier, number="A-1", amount=Decimal("10000.00")),
        SupplierInvoiceFactory(supplier=supplier, number="A-2", amount=Decimal("5000.00")),
    ]


def initiate(client, supplier, account, **extra):
    body = {
        "supplier_id": supplier.pk,
        "account_id": account.pk,
        "amount": "15000.00",
        "mode": "imps",
        **extra,
    }
    return client.post("/api/gateway/initiate-payout", body, format="json")


def test_initiate_a_split_payout_that_goes_to_the_gateway(
    configuration, chart, supplier, account, invoices, staff, run_tasks
):
    shares = [
        {"invoice_id": invoices[0].pk, "amount": "10000.00"},
        {"invoice_id": invoices[1].pk, "amount": "5000.00"},
    ]

    response = run_tasks(lambda: initiate(staff, supplier, account, invoices=shares, idempotency_key="key-1"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert {
        key: body[key]
        for key in ("status", "gateway", "amount", "fee_preview", "supplier_receives", "total_debit")
    } == {
        "status": "approved",  # answered before the dispatch task ran (after commit)
        "gateway": None,  # chosen when the task sends it
        "amount": "15000.00",
        "fee_preview": "5.90",
        "supplier_receives": "15000.00",
        "total_debit": "15005.90",
    }
    assert body["account"] == "XXXX5678 (HDFC0000123)" and NUMBER not in response.content.decode()
    assert [item["invoice_number"] for item in body["allocations"]] == ["A-1", "A-2"]

    again = initiate(staff, supplier, account, invoices=shares, idempotency_key="key-1")
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert (again.json()["status"], again.json()["gateway"]) == ("processing", "razorpay")
    assert SandboxObject.objects.filter(entity="payout").count() == 1

    checked = staff.get(f"/api/gateway/check-status/{body['id']}")
    assert checked.status_code == 200
    assert checked.json()["status"] == "completed"
    assert [row["to_state"] for row in checked.json()["history"]] == [
        "approved",
        "submitted",
        "processing",
        "completed",
    ]


def test_above_the_threshold_an_approver_approves(
    configuration, chart, supplier, account, hospital, staff, approver, run_tasks
):
    PayoutPolicy.objects.create(hospital=hospital, approval_threshold=Decimal("10000.00"))
    created = initiate(staff, supplier, account).json()
    assert created["status"] == "pending_approval"

    maker_tries = staff.post(f"/api/payouts/payments/{created['id']}/approve")
    rejected_without_reason = client_for(approver).post(
        f"/api/payouts/payments/{created['id']}/reject", {}, format="json"
    )
    approved = run_tasks(lambda: client_for(approver).post(f"/api/payouts/payments/{created['id']}/approve"))

    assert maker_tries.status_code == 403
    assert rejected_without_reason.status_code == 400
    assert rejected_without_reason.json()["extra"]["fields"]["reason"] == ["This field is required."]
    # The answer is written before the dispatch task runs (after commit); then it is at the gateway.
    assert (approved.status_code, approved.json()["status"], approved.json()["approved_by"]) == (
        200,
        "approved",
        approver.username,
    )
    assert SupplierPayment.objects.get(pk=created["id"]).status == "processing"


def test_an_approver_rejects_with_a_reason_and_may_not_approve_twice(
    configuration, chart, supplier, account, hospital, staff, approver
):
    PayoutPolicy.objects.create(hospital=hospital, approval_threshold=Decimal("1.00"))
    created = initiate(staff, supplier, account).json()

    rejected = client_for(approver).post(
        f"/api/payouts/payments/{created['id']}/reject", {"reason": "Wrong invoice"}, format="json"
    )
    again = client_for(approver).post(f"/api/payouts/payments/{created['id']}/approve")

    assert (rejected.status_code, rejected.json()["status"], rejected.json()["rejection_reason"]) == (
        200,
        "rejected",
        "Wrong invoice",
    )
    assert again.status_code == 409
    assert again.json()["message"].endswith("is rejected and cannot become approved.")


@pytest.mark.parametrize(
    ("change", "status_code", "field"),
    [
        ({"amount": "12.345"}, 400, "amount"),
        ({"amount": "-5.00"}, 400, "amount"),
        ({"amount": "abc"}, 400, "amount"),
        ({"mode": "cash"}, 400, "mode"),
        ({"mode": "upi"}, 400, "mode"),  # a bank account
        ({"mode": "rtgs"}, 400, "amount"),  # below ₹2,00,000
        ({"invoices": [{"invoice_id": 999999, "amount": "15000.00"}]}, 400, "invoices"),
        ({"supplier_id": "x"}, 400, "supplier_id"),
        ({"provider": "stripe"}, 400, "provider"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_nothing_is_written(
    configuration, chart, supplier, account, staff, change, status_code, field
):
    response = initiate(staff, supplier, account, **change)

    assert response.status_code == status_code, response.json()
    assert field in response.json()["extra"]["fields"]
    assert not SupplierPayment.objects.exists()


def test_a_cooling_off_account_is_refused_with_409(configuration, chart, supplier, account, staff):
    changed = staff.post(
        f"/api/supplier-accounts/{account.pk}/details",
        {"holder_name": "Acme Surgicals", "account_number": "60200098765432", "ifsc": "ICIC0000456"},
        format="json",
    )

    response = initiate(staff, supplier, account)

    assert changed.status_code == 200 and changed.json()["approval_status"] == "pending"
    assert "60200098765432" not in changed.content.decode()
    assert response.status_code == 409 and "cooling-off" in response.json()["message"]


def test_another_hospitals_supplier_and_payment_are_404(configuration, chart, supplier, account, staff):
    elsewhere = SupplierFactory(hospital=HospitalFactory())
    foreign_account = bank_account(elsewhere)
    own = initiate(staff, supplier, account).json()
    outsider = client_for(UserFactory(hospital=elsewhere.hospital, roles=[ROLE_PAYMENTS_STAFF]))

    assert initiate(staff, elsewhere, foreign_account).status_code == 404
    assert staff.get(f"/api/supplier/{elsewhere.pk}/bank-accounts").status_code == 404
    assert outsider.get(f"/api/payouts/payments/{own['id']}").status_code == 404
    assert outsider.get("/api/payouts/payments/").json()["count"] == 0


def test_bank_accounts_are_masked_with_type_and_verified_flag(configuration, supplier, account, staff):
    upi_account(supplier, vpa="acme@okaxis")

    response = staff.get(f"/api/supplier/{supplier.pk}/bank-accounts")

    assert response.status_code == 200
    assert [(row["type"], row["account"], row["verified"], row["payable"]) for row in response.json()] == [
        ("bank", "XXXX5678 (HDFC0000123)", False, True),
        ("upi", "ac***@okaxis", False, True),
    ]
    assert NUMBER not in response.content.decode() and "acme@okaxis" not in response.content.decode()


def test_adding_and_validating_an_account(configuration, supplier, staff, django_capture_on_commit_callbacks):
    created = staff.post(
        f"/api/supplier/{supplier.pk}/bank-accounts",
        {
            "type": "bank",
            "holder_name": "Acme Surgicals",
            "account_number": "50100012341111",
            "ifsc": "HDFC0000123",
        },
        format="json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        validated = staff.post(f"/api/supplier-accounts/{created.json()['id']}/validate")
    listed = staff.get(f"/api/supplier/{supplier.pk}/bank-accounts").json()

    assert created.status_code == 201 and "50100012341111" not in created.content.decode()
    assert validated.status_code == 202
    assert (listed[0]["validation_status"], listed[0]["registered_name"], listed[0]["name_mismatch"]) == (
        "active",
        "RAVI KUMAR SHARMA",
        True,
    )
    assert SupplierAccount.objects.get().account_number == "50100012341111"


def test_list_filters_and_manual_payments(chart, supplier, staff):
    manual = staff.post(
        "/api/payouts/payments/manual",
        {"supplier_id": supplier.pk, "amount": "250.00", "mode": "cheque", "manual_reference": "CHQ 9"},
        format="json",
    )

    completed = staff.get("/api/payouts/payments/", {"status": "completed"}).json()
    drafts = staff.get("/api/payouts/payments/", {"status": "draft"}).json()
    bad_filter = staff.get("/api/payouts/payments/", {"supplier_id": "x"})
    # An unknown value is a 400 naming the values, not an empty list that reads as "none".
    bad_values = staff.get("/api/payouts/payments/", {"status": "done", "method": "pigeon", "mode": "post"})

    assert manual.status_code == 201 and manual.json()["status"] == "completed"
    assert (completed["count"], completed["results"][0]["manual_reference"], drafts["count"]) == (
        1,
        "CHQ 9",
        0,
    )
    assert bad_filter.status_code == 400
    assert bad_values.status_code == 400
    fields = bad_values.json()["extra"]["fields"]
    assert set(fields) == {"status", "method", "mode"}
    assert fields["status"][0].startswith('"done" is not one of: draft, pending_approval, ')
    assert "imps" in fields["mode"][0]


def test_payouts_are_throttled_at_ten_a_minute_per_user(configuration, chart, supplier, account, staff):
    codes = [initiate(staff, supplier, account, amount="100.00").status_code for _ in range(11)]

    assert codes == [201] * 10 + [429]


# Every role on every endpoint: (method, path template, body) -> role -> status.
ENDPOINTS = {
    "bank-accounts": ("get", "/api/supplier/{supplier}/bank-accounts", None),
    "add-account": (
        "post",
        "/api/supplier/{supplier}/bank-accounts",
        {"type": "upi", "holder_name": "Acme", "vpa": "new@okaxis"},
    ),
    "initiate": ("post", "/api/gateway/initiate-payout", "initiate"),
    "manual": (
        "post",
        "/api/payouts/payments/manual",
        {"supplier_id": "{supplier}", "amount": "5.00", "mode": "cash"},
    ),
    "check-status": ("get", "/api/gateway/check-status/{payment}", None),
    "list": ("get", "/api/payouts/payments/", None),
    "detail": ("get", "/api/payouts/payments/{payment}", None),
    "approve": ("post", "/api/payouts/payments/{payment}/approve", None),
    "reject": ("post", "/api/payouts/payments/{payment}/reject", {"reason": "No"}),
    "cancel": ("post", "/api/payouts/payments/{payment}/cancel", {"reason": "No"}),
    "validate": ("post", "/api/supplier-accounts/{account}/validate", None),
    "details": (
        "post",
        "/api/supplier-accounts/{account}/details",
        {"holder_name": "Acme Surgicals", "account_number": "60200098765432", "ifsc": "ICIC0000456"},
    ),
    "approve-account": ("post", "/api/supplier-accounts/{account}/approve", None),
    "payout-link": (
        "post",
        "/api/gateway/create-payment-link",
        {"supplier_id": "{supplier}", "amount": "5.00", "expire_in_hours": 48},
    ),
    # The payment is a gateway payout, not a link: payments staff reach the service's 409.
    "resend-link": ("post", "/api/payouts/payments/{payment}/resend-link", None),
}
WRITE_STAFF = {
    "add-account": 201,
    "initiate": 201,
    "manual": 201,
    "cancel": 200,
    "validate": 202,
    "details": 200,
    "payout-link": 201,
    "resend-link": 409,
}
EXPECTED = {
    ROLE_PAYMENTS_STAFF: {
        "bank-accounts": 200,
        "check-status": 200,
        "list": 200,
        "detail": 200,
        **WRITE_STAFF,
    },
    ROLE_PAYMENT_APPROVER: {
        "bank-accounts": 200,
        "check-status": 200,
        "list": 200,
        "detail": 200,
        "approve": 200,
        "reject": 200,
    },
    ROLE_ACCOUNTANT: {"bank-accounts": 200, "list": 200, "detail": 200},
    ROLE_GATEWAY_ADMIN: {},
    "anonymous": {},
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_role_on_every_endpoint(
    configuration, chart, hospital, branch, supplier, account, maker, role, endpoint
):
    PayoutPolicy.objects.create(hospital=hospital, approval_threshold=Decimal("1.00"))
    payment = (
        client_for(maker)
        .post(
            "/api/gateway/initiate-payout",
            {"supplier_id": supplier.pk, "account_id": account.pk, "amount": "100.00", "mode": "imps"},
            format="json",
        )
        .json()
    )
    assert payment["status"] == "pending_approval"
    method, template, body = ENDPOINTS[endpoint]
    values = {"supplier": supplier.pk, "payment": payment["id"], "account": account.pk}
    if body == "initiate":
        body = {"supplier_id": supplier.pk, "account_id": account.pk, "amount": "100.00", "mode": "imps"}
    elif isinstance(body, dict):
        body = {
            key: value.format(**values) if isinstance(value, str) else value for key, value in body.items()
        }
    client = (
        APIClient()
        if role == "anonymous"
        else client_for(UserFactory(hospital=hospital, roles=[role], branches=[branch]))
    )
    if endpoint == "approve-account":  # something to approve, changed by someone else
        client_for(maker).post(
            f"/api/supplier-accounts/{account.pk}/details",
            {"holder_name": "Acme Surgicals", "account_number": "60200098765432", "ifsc": "ICIC0000456"},
            format="json",
        )

    response = getattr(client, method)(template.format(**values), body, format="json")

    expected = EXPECTED[role].get(endpoint, 401 if role == "anonymous" else 403)
    if endpoint == "approve-account" and role == ROLE_PAYMENT_APPROVER:
        expected = 200
    assert response.status_code == expected, response.content
