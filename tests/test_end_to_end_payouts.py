"""Supplier payouts end to end through the sandbox, for each gateway and mode: a staff user
pays invoices through the API, the payout is sent after commit, the sandbox drives it to
processed, and its signed webhooks arrive — Razorpay's at the merchant's webhook URL, Paytm's
at the payout's callback URL (PAYOUT_CALLBACK_URL) — where they are verified, parsed and
applied by supplier_payment_apply_event. The ledger balances, and the gateway's
clearing account shows exactly what it owes the supplier side: amount plus fee.
"""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.registry import provider_for
from skinspire.ledger import chart
from skinspire.ledger.models import Account
from skinspire.ledger.selectors import account_balance, trial_balance
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts.models import SupplierInvoice, SupplierPayment
from skinspire.payouts.services.events import supplier_payment_apply_event
from skinspire.payouts.tests.factories import (
    SupplierFactory,
    SupplierInvoiceFactory,
    bank_account,
    upi_account,
)
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db

AMOUNT, FEE = Decimal("2400.00"), Decimal("5.90")


@pytest.mark.parametrize("mode", ["upi", "imps", "neft"])
@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_staff_user_pays_two_invoices_to_completion(
    hospital, branch, demo_merchants, django_capture_on_commit_callbacks, settings, provider, mode
):
    settings.PAYOUT_CALLBACK_URL = f"{e2e.HOOKS}/paytm/"
    chart_of_accounts_create(hospital=hospital)
    supplier = SupplierFactory(hospital=hospital, name="Medi Supply Co")
    account = upi_account(supplier, vpa="medisupply@okhdfc") if mode == "upi" else bank_account(supplier)
    invoices = [
        SupplierInvoiceFactory(supplier=supplier, number="MS-1", amount=Decimal("2000.00")),
        SupplierInvoiceFactory(supplier=supplier, number="MS-2", amount=Decimal("1000.00")),
    ]
    staff = APIClient()
    staff.force_authenticate(UserFactory(hospital=hospital, roles=[ROLE_PAYMENTS_STAFF], branches=[branch]))
    body = {
        "supplier_id": supplier.pk,
        "account_id": account.pk,
        "amount": str(AMOUNT),
        "mode": mode,
        "provider": provider,
        "invoices": [
            {"invoice_id": invoices[0].pk, "amount": "2000.00"},
            {"invoice_id": invoices[1].pk, "amount": "400.00"},
        ],
    }

    with django_capture_on_commit_callbacks(execute=True):  # the dispatch task, the sandbox's steps
        created = staff.post("/api/gateway/initiate-payout", body, format="json")
    assert created.status_code == 201, created.json()
    payment = SupplierPayment.objects.get(pk=created.json()["id"])
    configuration = GatewayConfiguration.objects.get(pk=payment.configuration_id)
    assert configuration.provider == provider

    events = e2e.verified_events(provider_for(configuration), e2e.received_from(provider))
    assert events[-1].status in ("processed", "SUCCESS")
    for event in events:
        supplier_payment_apply_event(event=event, configuration=configuration)

    payment.refresh_from_db()
    assert (payment.status, payment.fee) == ("completed", FEE)
    assert payment.utr
    assert [
        (invoice.amount_paid, invoice.status) for invoice in SupplierInvoice.objects.order_by("number")
    ] == [
        (Decimal("2000.00"), "paid"),
        (Decimal("400.00"), "partly_paid"),
    ]
    clearing = Account.objects.get(hospital=hospital, code=chart.clearing_account_code(provider))
    assert account_balance(account=clearing) == -(AMOUNT + FEE)
    payable = Account.objects.get(hospital=hospital, code=chart.ACCOUNTS_PAYABLE)
    assert account_balance(account=payable) == AMOUNT
    rows = trial_balance(hospital=hospital)
    assert sum(row.debit for row in rows) == sum(row.credit for row in rows)
