"""Every API field that takes an amount takes what the OpenAPI schema says it does: rupees
as a decimal of the digits 0-9 (`^-?\\d{0,10}(?:\\.\\d{0,2})?$`), and a JSON number only
when it is exactly such a decimal.

Python's Decimal also reads other digits ("१५००" is 1500), underscores ("1_500"), exponents
("1e3") and a plus sign, and a JSON number used to arrive as a float, so
1500.0000000000000001 was taken as ₹1,500.00: a rounding where a sub-paise amount must be
an error (DESIGN decision 2). Each is a 400 naming the field, and nothing is written."""

import io
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from skinspire.collections.models import Bill, PatientPayment, PatientRefund, PaymentLink
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.tests.factories import BillFactory
from skinspire.core.roles import ALL_ROLES
from skinspire.core.tests.factories import UserFactory
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import SupplierInvoice, SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory, bank_account
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant

pytestmark = pytest.mark.django_db

NOT_PLAIN = [
    '"१५००"',  # Devanagari digits
    '"١٥٠٠"',  # Arabic-Indic digits
    '"１５００"',  # full-width digits
    '"1_500"',
    '"1e3"',
    '"+1500"',
    "1e3",  # a JSON number, but not a plain decimal
    "1500.0000000000000001",  # a float would round it to 1500.0
    "1500.009999999999999999",  # ... and this up to 1500.01
]
MODELS = (Bill, PatientPayment, PatientRefund, PaymentLink, SupplierPayment, SupplierInvoice, JournalEntry)


@pytest.fixture
def world(hospital, branch):
    """A user who may do everything, and one of each thing an amount is written for."""
    chart_of_accounts_create(hospital=hospital)
    demo.seed(hospital=hospital, out=io.StringIO())
    SandboxMerchant.objects.update(webhook_url="")
    user = UserFactory(hospital=hospital, roles=ALL_ROLES, branches=[branch])
    bill = BillFactory(branch=branch, amount=Decimal("5000.00"))
    supplier = SupplierFactory(hospital=hospital)
    client = APIClient()
    client.force_authenticate(user)
    return {
        "client": client,
        "branch": branch,
        "bill": bill,
        "cash": patient_payment_manual_record(
            actor=user,
            bill=BillFactory(branch=branch, amount=Decimal("2000.00")),
            amount="2000.00",
            method="cash",
        ),
        "supplier": supplier,
        "account": bank_account(supplier, account_number="50100012345678"),
        "invoice": SupplierInvoiceFactory(supplier=supplier, number="A-1", amount=Decimal("10000.00")),
    }


# (method, path, body with the amount as AMOUNT, where the error is reported)
ENDPOINTS = {
    "bill create": (
        "post",
        "/api/bills",
        '{{"number": "B-9", "branch_id": {branch.pk}, "category": "pharmacy", '
        '"patient": {{"patient_number": "P-9", "name": "Asha"}}, "amount": AMOUNT}}',
        "amount",
    ),
    "bill update": ("patch", "/api/bills/{bill.pk}", '{{"amount": AMOUNT}}', "amount"),
    "order": (
        "post",
        "/api/patient-payment/create-order",
        '{{"bill_id": {bill.pk}, "amount": AMOUNT}}',
        "amount",
    ),
    "bill link": (
        "post",
        "/api/gateway/create-payment-link",
        '{{"bill_id": {bill.pk}, "amount": AMOUNT, "expire_in_hours": 24}}',
        "amount",
    ),
    "counter payment": (
        "post",
        "/api/patient-payments/manual",
        '{{"bill_id": {bill.pk}, "amount": AMOUNT, "method": "cash"}}',
        "amount",
    ),
    "refund": (
        "post",
        "/api/patient-payments/{cash.pk}/refunds",
        '{{"amount": AMOUNT, "reason": "x"}}',
        "amount",
    ),
    "payout": (
        "post",
        "/api/gateway/initiate-payout",
        '{{"supplier_id": {supplier.pk}, "account_id": {account.pk}, "amount": AMOUNT, "mode": "imps"}}',
        "amount",
    ),
    "payout share": (
        "post",
        "/api/gateway/initiate-payout",
        '{{"supplier_id": {supplier.pk}, "account_id": {account.pk}, "amount": "1500.00", '
        '"mode": "imps", "invoices": [{{"invoice_id": {invoice.pk}, "amount": AMOUNT}}]}}',
        "invoices",
    ),
    "payout link": (
        "post",
        "/api/gateway/create-payment-link",
        '{{"supplier_id": {supplier.pk}, "amount": AMOUNT}}',
        "amount",
    ),
    "manual payout": (
        "post",
        "/api/payouts/payments/manual",
        '{{"supplier_id": {supplier.pk}, "amount": AMOUNT, "mode": "cash"}}',
        "amount",
    ),
    "invoice": (
        "post",
        "/api/supplier/{supplier.pk}/invoices",
        '{{"number": "A-2", "invoice_date": "2026-11-01", "amount": AMOUNT}}',
        "amount",
    ),
    "fee preview": ("post", "/api/payouts/fee-preview", '{{"amount": AMOUNT, "mode": "imps"}}', "amount"),
}


def send(world, endpoint: str, amount: str):
    method, path, body, _ = ENDPOINTS[endpoint]
    objects = {name: value for name, value in world.items() if name != "client"}
    return getattr(world["client"], method)(
        path.format(**objects),
        body.format(**objects).replace("AMOUNT", amount).encode(),
        content_type="application/json",
    )


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_an_amount_that_is_not_a_plain_decimal_is_a_400_and_writes_nothing(world, endpoint):
    before = counts()
    for amount in NOT_PLAIN:
        response = send(world, endpoint, amount)

        assert response.status_code == 400, (amount, response.status_code, response.content[:300])
        fields = response.json()["extra"]["fields"]
        assert list(fields) == [ENDPOINTS[endpoint][3]], (amount, fields)
        assert "digits 0-9" in str(fields) or "2 decimal places" in str(fields), (amount, fields)
    assert counts() == before
    world["bill"].refresh_from_db()
    assert world["bill"].amount == Decimal("5000.00")


@pytest.mark.parametrize("amount", ['"250.50"', "250.50", "250", '" 250.50 "'])
def test_a_plain_decimal_as_text_or_as_a_json_number_is_taken_exactly(world, amount):
    response = send(world, "refund", amount)

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == ("250.50" if "." in amount else "250.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ('"NaN"', "'NaN' is not an amount; write it with the digits 0-9, like 1500.00."),
        ('"1,500"', "'1,500' has a separator between its digits; write the amount with the digits 0-9 and a "
         "point alone, like 150000.00."),
        ('" ٥٠٠ "', "'٥٠٠' has digits other than 0-9; write the amount with the digits 0-9, like 1500.00."),
        ('"0"', "The amount must be more than zero."),
    ],
)  # fmt: skip
def test_the_refusal_says_why_as_the_forms_and_files_do(world, amount, message):
    """The API reads amounts by the same rule as the forms and files (core.money.amount_from_text)."""
    response = send(world, "refund", amount)

    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {"amount": [message]}
