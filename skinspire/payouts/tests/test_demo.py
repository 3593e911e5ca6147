"""seed_demo adds the payout demo through the services, once."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from skinspire.payouts.models import (
    AccountApproval,
    PayoutPolicy,
    Supplier,
    SupplierAccount,
    SupplierInvoice,
    SupplierPayment,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_suppliers_accounts_invoices_and_a_pending_change_once():
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)

    assert first.getvalue() == second.getvalue()
    assert "Demo suppliers: 3" in first.getvalue()
    assert Supplier.objects.count() == 3 and SupplierInvoice.objects.filter(status="open").count() == 5
    assert sorted(SupplierAccount.objects.values_list("kind", "masked")) == [
        ("bank", "XXXX5432 (ICIC0000789)"),
        ("bank", "XXXX5678 (HDFC0000123)"),
        ("upi", "me***@okhdfc"),
        ("upi", "st***@okaxis"),
    ]
    pending = SupplierAccount.objects.get(approval_status=AccountApproval.PENDING)
    assert (pending.supplier.name, pending.details_changed_by.username) == ("Derma Labs Pvt Ltd", "payments")
    assert not pending.is_payable()
    assert PayoutPolicy.objects.get().approval_threshold == 50000


def test_seed_demo_issues_one_payout_link_through_the_sandbox_once():
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)

    assert first.getvalue() == second.getvalue()
    payment = SupplierPayment.objects.get(method="payout_link")
    assert (payment.supplier.name, payment.amount, payment.status, payment.payout_link_status) == (
        "Sterile Linen Services",
        Decimal("7200.00"),
        "processing",
        "issued",
    )
    assert payment.payout_link_url.startswith("http://sandbox.testserver/sandbox/razorpay/payout-links/")
    assert [line.invoice.number for line in payment.allocations.all()] == ["SLS-55"]
    assert (
        f"Payout link {payment.reference} to Sterile Linen Services for SLS-55: issued "
        f"(/workspace/payouts/{payment.pk}/)\n"
    ) in first.getvalue()
    assert SupplierPayment.objects.count() == 1
